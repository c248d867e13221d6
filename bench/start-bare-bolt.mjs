// The baseline of bench/start.ts: a bare Bolt app on its HTTP receiver, with a /healthz route and nothing else,
// started the same way as dudao (`node <file>`, PORT, SLACK_* from the environment). Plain JavaScript, so it
// needs no build.
import bolt from '@slack/bolt';

const { App, HTTPReceiver, LogLevel } = bolt;
const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  customRoutes: [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      },
    },
  ],
});
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  receiver,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});
app.command('/dudao', async ({ ack }) => ack());
await app.start(Number(process.env.PORT));
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
