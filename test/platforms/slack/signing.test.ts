import { verifySlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { FORM_CONTENT_TYPE, signedHeaders, slackSignature, slashCommand } from '../../support/slack-requests.js';

// The example from Slack's "Verifying requests from Slack" documentation (also used by bolt-js's tests).
const VECTOR = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: 1531420618,
  body:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
    '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
    '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

describe('Slack request signing (test support)', () => {
  it('reproduces the documented test vector', () => {
    expect(slackSignature(VECTOR.secret, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('signs requests that Bolt accepts, and forgeries and stale ones that it rejects', () => {
    const req = slashCommand({ text: 'help', userId: 'U1', responseUrl: 'http://127.0.0.1/response/1' });
    expect(req.contentType).toBe(FORM_CONTENT_TYPE);
    const verify = (h: Record<string, string>) =>
      verifySlackRequest({
        signingSecret: 's3cret',
        body: req.body,
        headers: {
          'x-slack-signature': h['x-slack-signature']!,
          'x-slack-request-timestamp': Number(h['x-slack-request-timestamp']),
        },
      });
    expect(() => verify(signedHeaders('s3cret', req))).not.toThrow();
    expect(() => verify(signedHeaders('s3cret', req, { secret: 'other' }))).toThrow(/signature mismatch/);
    expect(() => verify(signedHeaders('s3cret', req, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }))).toThrow(
      /stale/,
    );
    expect(signedHeaders('s3cret', req, { retryNum: 1 })).toMatchObject({
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
  });
});
