import 'reflect-metadata';
import { createApp, type App } from './app';
import { authenticationFrom } from './auth/from-config';
import { EXAMPLE_DOCUMENT, liveBanner, sandboxBanner } from './banner';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger, type Logger } from './logger';
import { SANDBOX_USER } from './sandbox/identity-issuer';
import { startSandbox, type Sandbox } from './sandbox/start-sandbox';

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger({ level: config.logLevel, json: config.production || !process.stdout.isTTY });
  const sandbox = config.mode === 'sandbox' ? await startSandbox(logger, config.sandboxStateFile, config.sandboxWebhookSecrets) : undefined;
  const credentials = sandbox?.credentials ?? config.kraken;
  if (!credentials) throw new Error('live mode without Kraken credentials');

  const { authenticator, sandboxTokens } = await authenticationFrom(config.auth);
  const app = await createApp({
    config,
    kraken: credentials,
    logger,
    authenticator,
    landing: {
      document: sandbox ? EXAMPLE_DOCUMENT : undefined,
      headers: sandboxTokens ? { Authorization: `Bearer ${sandboxTokens.user}` } : undefined,
    },
  });
  const url = await app.listen();
  if (sandbox) {
    sandbox.connect(url);
    // The sample people are the sandbox user's own, so the printed example works.
    if (sandboxTokens) linkSamplePeople(app, [sandbox.people.approved, sandbox.people.pending], logger);
  }
  if (!authenticator.enabled) {
    logger.warn('AUTHENTICATION IS OFF (AUTH_DISABLED=true): every caller may read every record');
  }
  process.stdout.write(sandbox ? sandboxBanner({ url, sandbox, tokens: sandboxTokens, authenticator, landingPage: config.graphql.sandbox }) : liveBanner(url, config));
  logger.info({ url, mode: config.mode }, 'serving');
  stopOnSignals(app, sandbox, logger, config.shutdownGraceMs);
}

/**
 * Links the sample people to the sandbox user, so the printed example works;
 * while the link store is away (Redis not up yet), tries again every second
 * for a minute in the background.
 */
function linkSamplePeople(app: App, userIds: string[], logger: Logger, triesLeft = 60): void {
  Promise.all(userIds.map((userId) => app.services.linkStore.link(SANDBOX_USER, userId))).catch((error: unknown) => {
    if (triesLeft === 60) logger.warn({ err: error }, 'link store unreachable; linking the sample people to the sandbox user once it is back');
    if (triesLeft > 1) setTimeout(() => linkSamplePeople(app, userIds, logger, triesLeft - 1), 1_000).unref();
    else logger.error('could not link the sample people to the sandbox user; the printed example answers FORBIDDEN');
  });
}

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`kraken-graphql: configuration error: ${error.message}\n`);
    process.exit(1);
  }
}

function stopOnSignals(app: App, sandbox: Sandbox | undefined, logger: Logger, graceMs: number): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error({ graceMs }, 'requests still in flight after the grace period; exiting');
      process.exit(1);
    }, graceMs);
    deadline.unref();
    app
      .stop()
      .then(() => sandbox?.stop())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`kraken-graphql: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
