import { loadOrCreateAdminToken } from "./admin-token.ts";
import { ConfigError, readConfig } from "./config.ts";
import { startServer } from "./create-server.ts";
import { createLogger } from "./logger.ts";

// `pnpm start`: read the environment, start with the demo workbook, and print how to get in.
// The banner goes to stderr as plain text, apart from the JSON log lines on stdout.

function banner(lines: readonly string[]): void {
  process.stderr.write(`\n${lines.join("\n")}\n\n`);
}

async function main(): Promise<void> {
  let config: ReturnType<typeof readConfig>;
  try {
    config = readConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`配置错误 / Configuration error\n${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const generated = config.adminToken ? undefined : loadOrCreateAdminToken(config.dataDir);
  const server = await startServer({
    port: config.port,
    host: config.host,
    dataDir: config.dataDir,
    adminToken: config.adminToken ?? generated?.token,
    publicUrl: config.publicUrl,
    demo: true,
    logger: createLogger(config.logLevel),
    databaseUrl: config.databaseUrl,
    redisUrl: config.redisUrl,
    redisPrefix: config.redisPrefix,
    ...(config.broadcastWindowMs !== undefined && { broadcastWindowMs: config.broadcastWindowMs }),
    forms: { trustedProxies: config.trustedProxies },
    ...(config.formSecret && { formSecret: config.formSecret }),
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EADDRINUSE") throw error;
    process.stderr.write(`端口 ${config.port} 已被占用 / Port ${config.port} is in use: set PORT to another port.\n`);
    process.exit(2);
  });

  banner([
    "互助 Huzhu 已启动 / is running",
    "",
    `  地址 / URL:                 ${server.publicUrl}`,
    `  演示工作簿（编辑链接）/ Demo workbook (editor link):`,
    `    ${server.demo?.editorUrl ?? "-"}`,
    ...(server.demo?.adminUrl ? ["  管理链接 / Admin link (links, column privacy, public settings):", `    ${server.demo.adminUrl}`] : []),
    ...(server.demo?.publicPageUrl ? ["  公开页面 / Public page:", `    ${server.demo.publicPageUrl}`] : []),
    ...(server.demo?.formUrl ? ["  求助表单 / Request form (for people in need, phone-size):", `    ${server.demo.formUrl}`] : []),
    `  管理令牌 / Admin token:     ${server.adminToken}`,
    config.adminToken
      ? "    （来自 HUZHU_ADMIN_TOKEN / from HUZHU_ADMIN_TOKEN）"
      : `    （保存在 / kept in ${config.dataDir}/admin-token）`,
    `  数据目录 / Data directory:  ${config.dataDir}`,
    "",
    "  在两个浏览器中打开编辑链接即可一起编辑。Open the editor link in two browsers to co-edit.",
    "  编辑链接等同于密码，请只分享给志愿者。The editor link works like a password: share it with volunteers only.",
  ]);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: 正在保存并关闭 / saving and stopping…\n`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

await main();
