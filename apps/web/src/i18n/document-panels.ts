/** Words of 加签、抄送、附件、法定时限 (document screen panels), merged into the dictionary by ../i18n.ts. */
export const zh = {
  dpUnknownPerson: '（您无权查看的人员）', dpColon: '：', dpListSep: '、', dpNoteOptional: '说明（选填）',
  // 加签
  dpAddSignerTitle: '加签', dpAddSigner: '加签', dpAddSignerHint: '请本部门另一位同事签署本环节：在您之前签署（您在其后再次办理），或在您通过之后签署。',
  dpSigner: '加签人员', dpPosition: '签署顺序', dpBefore: '在我之前签署', dpAfter: '在我通过之后签署',
  dpChooseSigner: '请选择加签人员', dpSignerAdded: '已加签：{name}',
  dpSodRefused: '按不相容职务分离规定，{name}不能签署本环节', dpSignerRefused: '不能为{name}加签',
  dpRuleAuthor: '文稿的起草人和修改人不审核该文稿', dpRuleSecondVote: '同一环节一人只能签署一次', dpRuleSecondStep: '同一轮审核中一人只能办理一个审核环节', dpRuleSupervisor: '督察员只查看，不办理',
  dpReasonNoSuchUser: '查无此人', dpReasonNotInDepartment: '此人不在本部门任职', dpReasonYouSign: '您本人已是本环节的签署人', dpReasonSupervisor: '督察员不参与签署',
  dpReasonAlreadySigns: '此人已是本环节的签署人', dpReasonDisabled: '此人账号已停用',
  // 抄送
  dpCopiesTitle: '抄送', dpCopyFormTitle: '抄送给同事', dpCopyTo: '抄送给', dpCopy: '抄送', dpRecipient: '接收人', dpCopiedBy: '抄送人', dpCopiedAt: '抄送时间',
  dpNoCopies: '尚未抄送', dpChooseRecipients: '请至少选择一位接收人', dpCopiedTo: '已抄送：{names}', dpAlreadyCopied: '所选人员均已收到抄送，未重复发送', dpAlreadyHasCopy: '（已抄送）',
  // 附件
  dpAttachmentsTitle: '附件', dpFileName: '文件名', dpAttachedTo: '所属', dpSize: '大小', dpUploader: '上传人', dpUploadedAt: '上传时间',
  dpOnDocument: '文稿', dpOnDecision: '审核意见', dpOnDecisionOf: '审核意见（{step}）', dpNoAttachments: '暂无附件',
  dpUploadToDocument: '上传文稿附件', dpUploadToDecision: '上传审核意见附件', dpFile: '选择文件', dpUpload: '上传', dpChooseFile: '请选择要上传的文件',
  dpFileTypes: '可上传 PDF、OFD、Word/Excel 等办公文档、ZIP、图片和纯文本文件。', dpTypeRefused: '不接受此类文件：请上传 PDF、OFD、办公文档、ZIP、图片或纯文本文件',
  dpUploaded: '已上传：{name}', dpDownload: '下载 {name}', dpDownloadFailed: '未能下载 {name}',
  // 法定时限
  dpClockTitle: '法定时限', dpClockState: '计时状态', dpClockRunning: '计时中', dpClockPaused: '已暂停', dpPausedSince: '暂停时间', dpPauseReason: '暂停理由',
  dpExtended: '已批准延长', dpPausedTotal: '暂停累计', dpWorkingDaysN: '{n}个工作日', dpHoursN: '{n}小时',
  dpPendingExtension: '待批准的延期申请', dpExtensionAsked: '{name}申请延长{n}个工作日',
  dpClockOps: '计时操作', dpClockReason: '理由（必填，如补正、中止的事由）', dpReasonRequired: '请填写理由',
  dpPause: '暂停计时', dpResume: '恢复计时', dpRestart: '补正后重新计时', dpExtensionDays: '申请延长的工作日数（1–60）', dpRequestExtension: '申请延期',
  dpDecideExtension: '审批延期申请', dpDecisionReason: '审批意见（必填）', dpApproveExtension: '批准延期', dpRejectExtension: '不批准延期',
  // The panels' actions as the timeline and the audit log name them.
  attach: '上传附件', 'pause-clock': '暂停计时', 'resume-clock': '恢复计时', 'restart-clock': '补正后重新计时',
  'request-extension': '申请延期', 'approve-extension': '批准延期', 'reject-extension': '不批准延期',
  dpPaused: '已暂停计时', dpResumed: '已恢复计时', dpRestarted: '已重新计时', dpExtensionRequested: '已申请延期，待分管领导批准', dpExtensionApproved: '已批准延期', dpExtensionRejected: '已不批准延期',
};
export const en: typeof zh = {
  dpUnknownPerson: '(someone you may not look up)', dpColon: ': ', dpListSep: ', ', dpNoteOptional: 'Note (optional)',
  // Add a signer
  dpAddSignerTitle: 'Add a signer', dpAddSigner: 'Add signer', dpAddSignerHint: 'Ask a colleague of the department to sign this step: before you (you decide again after them), or after you approve.',
  dpSigner: 'Signer to add', dpPosition: 'Order', dpBefore: 'Signs before me', dpAfter: 'Signs after I approve',
  dpChooseSigner: 'Choose the signer to add', dpSignerAdded: 'Signer added: {name}',
  dpSodRefused: 'Separation of duties: {name} may not sign this step', dpSignerRefused: '{name} cannot be added as a signer',
  dpRuleAuthor: "the document's author and editors do not review it", dpRuleSecondVote: 'one person signs a step once', dpRuleSecondStep: 'one person decides one review step per round', dpRuleSupervisor: 'supervisors read; they do not decide',
  dpReasonNoSuchUser: 'no such person', dpReasonNotInDepartment: 'they hold no role in the department', dpReasonYouSign: 'you already sign this step', dpReasonSupervisor: 'a supervisor does not sign',
  dpReasonAlreadySigns: 'they already sign this step', dpReasonDisabled: 'their account is disabled',
  // Copies
  dpCopiesTitle: 'Copies', dpCopyFormTitle: 'Copy to colleagues', dpCopyTo: 'Copy to', dpCopy: 'Send copy', dpRecipient: 'Recipient', dpCopiedBy: 'Copied by', dpCopiedAt: 'Copied at',
  dpNoCopies: 'Not copied to anyone yet', dpChooseRecipients: 'Choose at least one recipient', dpCopiedTo: 'Copied to: {names}', dpAlreadyCopied: 'Everyone chosen already had a copy: nothing was sent again', dpAlreadyHasCopy: '(has a copy)',
  // Attachments
  dpAttachmentsTitle: 'Attachments', dpFileName: 'File', dpAttachedTo: 'On', dpSize: 'Size', dpUploader: 'Uploaded by', dpUploadedAt: 'Uploaded at',
  dpOnDocument: 'Document', dpOnDecision: 'Decision', dpOnDecisionOf: 'Decision ({step})', dpNoAttachments: 'No attachments',
  dpUploadToDocument: 'Attach a file to the document', dpUploadToDecision: 'Attach a file to your decision', dpFile: 'File', dpUpload: 'Upload', dpChooseFile: 'Choose a file to upload',
  dpFileTypes: 'PDF, OFD, office documents (Word, Excel, …), ZIP, images and plain text are accepted.', dpTypeRefused: 'Files of this type are not accepted: upload a PDF, OFD, office document, ZIP, image or plain text file',
  dpUploaded: 'Uploaded: {name}', dpDownload: 'Download {name}', dpDownloadFailed: 'Could not download {name}',
  // Statutory clock
  dpClockTitle: 'Statutory clock', dpClockState: 'Clock', dpClockRunning: 'Running', dpClockPaused: 'Paused', dpPausedSince: 'Paused since', dpPauseReason: 'Reason for the pause',
  dpExtended: 'Extended by', dpPausedTotal: 'Paused in total', dpWorkingDaysN: '{n} working days', dpHoursN: '{n} hours',
  dpPendingExtension: 'Extension awaiting approval', dpExtensionAsked: '{name} asks for {n} more working days',
  dpClockOps: 'Run the clock', dpClockReason: 'Reason (required: the correction asked for, the suspension)', dpReasonRequired: 'A reason is required',
  dpPause: 'Pause the clock', dpResume: 'Resume the clock', dpRestart: 'Restart after correction', dpExtensionDays: 'Working days to add (1–60)', dpRequestExtension: 'Request an extension',
  dpDecideExtension: 'Decide the extension', dpDecisionReason: 'Comment (required)', dpApproveExtension: 'Approve the extension', dpRejectExtension: 'Refuse the extension',
  // The panels' actions as the timeline and the audit log name them.
  attach: 'Attachment added', 'pause-clock': 'Clock paused', 'resume-clock': 'Clock resumed', 'restart-clock': 'Clock restarted after correction',
  'request-extension': 'Extension requested', 'approve-extension': 'Extension approved', 'reject-extension': 'Extension refused',
  dpPaused: 'Clock paused', dpResumed: 'Clock resumed', dpRestarted: 'Clock restarted', dpExtensionRequested: 'Extension requested: the leader in charge approves it', dpExtensionApproved: 'Extension approved', dpExtensionRejected: 'Extension refused',
};
