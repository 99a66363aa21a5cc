/**
 * Passwords people choose first, shipped with the code (no network look-up): the most frequent
 * entries of public breach lists (English and Chinese), keyboard walks, and words of this
 * service. The policy compares them case-insensitively, also with digits and symbols stripped
 * from either end, so `Password2026!` counts as `password`.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  `
  123456 password 12345678 qwerty 123456789 12345 1234 111111 1234567 dragon 123123 baseball abc123 football
  monkey letmein 696969 shadow master 666666 qwertyuiop 123321 mustang 1234567890 michael 654321 superman
  1qaz2wsx 7777777 121212 000000 qazwsx 123qwe killer trustno1 jordan jennifer zxcvbnm asdfgh hunter buster
  soccer harley batman andrew tigger sunshine iloveyou 2000 charlie robert thomas hockey ranger daniel starwars
  klaster 112233 george computer michelle jessica pepper 1111 zxcvbn 555555 11111111 131313 freedom 777777 pass
  maggie 159753 aaaaaa ginger princess joshua cheese amanda summer love ashley nicole chelsea biteme matthew
  access yankees 987654321 dallas austin thunder taylor matrix mobilemail mom monitor monitoring montana moon
  moscow welcome welcome1 passw0rd password1 password123 admin admin123 administrator root toor guest changeme
  changeit default secret test test123 testing qwerty123 qwertyuiop123 1q2w3e4r 1q2w3e4r5t 1q2w3e q1w2e3r4
  q1w2e3r4t5 zaq12wsx zaq1zaq1 1qazxsw2 qazwsxedc qweasdzxc asdfghjkl asdf1234 zxcvbnm123 abcd1234 abc12345
  abcdef abcdefg abcdefgh abcdefghijkl aa123456 a123456 a1234567 a12345678 a123456789 qq123456 woaini
  woaini1314 woaini520 woaini521 5201314 1314520 520520 521521 1314521 woainima woaiwojia iloveyou1314 wodemima
  mima mima123 mimamima caonima nihao nihao123 zhang123 wang123 li123456 zhangwei wangwei liwei zhongguo
  beijing shanghai shenzhen guangzhou china china123 xiaoming xiaohong lovely loveyou baobao baobei qiqi dandan
  tiantian xiaoxiao asd123 asd123456 qwe123 qwe123456 zxc123 zxc123456 qaz123 wsx123 123abc 123asd 123qweasd
  123qweasdzxc 1234qwer 12345qwert 123456a 123456aa 123456abc 123456q 123456qq 123456789a 11223344 12341234
  12344321 123654 123654789 147258 147258369 159357 1597532486 258369 321321 456789 654321a 789456 789456123
  741852963 963852741 88888888 66666666 99999999 00000000 12121212 123123123 112233445566 111222333
  123456123456 123456654321 666888 888888 8888888 168168 518518 iloveu iloveyou123 sunshine1 princess1
  football1 monkey123 dragon123 master123 superman123 batman123 letmein123 welcome123 hello hello123 hello1234
  helloworld whatever trustme starwars1 jesus jesus1 jesuschrist blessed angel angels flower butterfly rainbow
  purple orange banana apple chocolate cookie pokemon naruto pikachu minecraft fortnite roblox google facebook
  youtube twitter linkedin microsoft windows linux ubuntu oracle mysql postgres database server system manager
  network internet security login logon user username demo demo123 sample example temp temporary newpassword
  mypassword yourpassword passpass password12 password1234 password12345 password123456 passwordpassword
  p@ssw0rd p@ssword pa55word pa$$w0rd passw0rd1 qwerty1 qwerty12 qwerty1234 qwerty12345 qwertyui qwertyu
  asdfasdf asdfghjkl123 zxcvzxcv 1q1q1q1q 1a2b3c4d a1b2c3d4 a1b2c3 aaa111 abc123abc abcabc abcabc123 iloveyou2
  lovelove loveme fuckyou fuckoff shit bitch sexy pussy money money123 dollar lucky lucky7 winner winter spring
  autumn january december monday friday sunday happy happy123 smile family friends forever together baseball1
  basketball volleyball tennis golf soccer1 hockey1 arsenal liverpool manchester barcelona juventus realmadrid
  chelsea1 yankee cowboys eagles steelers lakers patriots michael1 jordan23 kobe24 charlie1 daniel1 andrew1
  thomas1 robert1 william richard joseph david james john mary anna maria sophie emma olivia jack lily mike
  peter alex alexander samantha elizabeth victoria diamond silver golden tiger lion eagle falcon wolf bear
  dolphin horse kitten puppy doggie snoopy garfield mickey minnie disney spiderman ironman avengers marvel
  starcraft warcraft diablo zelda mario sonic ninja samurai dragonball onepiece gundam shenpi shenpi123
  approval review workflow government zhengfu fazhi yifazhishi gongwen shenpi2025 shenpi2026 demo-pass
  changeme123 default123 admin1234 admin12345 admin123456 adminadmin administrator1 root123 root1234 rootroot
  guest123 user123 user1234 test1234 test12345 testtest qwerty123456 1qaz2wsx3edc 1qaz@wsx 1qaz!qaz zaq!2wsx
  !qaz2wsx qazwsx123 qwer1234 asdf12345 zxcv1234 1234abcd 12345abc 123456abcd abc123456 abcd123456 aa112233
  a1s2d3f4 q1w2e3 1234567a 12345678a 87654321 98765432 0987654321 9876543210 1029384756 1357924680 2468013579
  13579 246810 135792468
  123456789012 1234567890123 12345678901234 098765432109 qwertyuiopas qwertyuiopasdf 1qaz2wsx3edc4rfv zaq12wsxcde3
  1q2w3e4r5t6y q1w2e3r4t5y6 qweasdzxc123 1qazxsw23edc 147258369258
`
    .split(/\s+/)
    .filter(Boolean),
);
