# One image for the API and the worker; docker-compose.yml picks the command.
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm run build:web && npm prune --omit=dev

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# In a container the port is reached through Docker's network: listen on every interface (npm start: 127.0.0.1).
ENV HOST=0.0.0.0
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The attachments volume takes this directory's owner when it is first mounted.
RUN mkdir -p /var/lib/shenpi/attachments && chown -R node:node /var/lib/shenpi
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/main.js"]
