/**
 * The emulated journey's HTML. Pages are self-contained (no external assets,
 * the sandbox runs offline) and say plainly that they come from an emulator.
 * Every value from a token or form passes through `escapeHtml` or
 * `scriptJson` before it reaches markup.
 */

export interface JourneyView {
  token: string;
  clientId: string;
  level: string;
  state?: string;
  externalUserId?: string;
  provider?: string;
}

export interface FinishedView {
  decision: string;
  oneTimeToken: string;
  state?: string;
  ttlSeconds: number;
}

/** What the parent window receives in iframe mode (KRAKEN.md §3.3, open question 11). */
export interface HandoffMessage {
  response: string;
  oneTimeToken: string;
  state?: string;
  error?: { code: string; message: string };
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * JSON that is safe inside a `<script>` element: `<` cannot open `</script>`
 * and the two line separators JSON allows but older JavaScript does not are escaped.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The journey: what the link asked for, and one button per outcome. */
export function journeyPage(view: JourneyView): string {
  const details = definitionList([
    ['Client', view.clientId],
    ['Level', view.level],
    ['State', view.state ?? '(none)'],
    ['External user id', view.externalUserId || '(none)'],
    ['Provider', view.provider ?? 'sumsub'],
  ]);

  return layout(
    'KYC journey',
    `<h1>Identity check</h1>
<p>This stands in for Fractal ID's journey. No document is captured: pick the outcome.</p>
${details}
<form method="post" action="/kyc/finish">
<input type="hidden" name="token" value="${escapeHtml(view.token)}">
<input type="hidden" name="embedded" id="embedded" value="">
<label>Rejection reason (optional)<br><input name="note" maxlength="200" size="40"></label>
<p class="actions">
<button name="decision" value="approved">Finish as approved</button>
<button name="decision" value="pending">Finish as pending</button>
<button name="decision" value="rejected">Finish as rejected</button>
</p>
</form>
<script>
try { if (window.self !== window.top) document.getElementById('embedded').value = '1'; }
catch (e) { document.getElementById('embedded').value = '1'; }
</script>`,
  );
}

/** End of a journey with nowhere to redirect: the token is shown to copy by hand. */
export function finishedPage(view: FinishedView): string {
  const mutation =
    `mutation { exchangeSession(oneTimeToken: "${view.oneTimeToken}") ` +
    '{ userId status externalState } }';

  return layout(
    'journey finished',
    `<h1>Journey finished</h1>
${definitionList([['Decision', view.decision], ['State', view.state ?? '(none)']])}
<p>One-time token, single use, valid for ${duration(view.ttlSeconds)}:</p>
<p><code id="one-time-token">${escapeHtml(view.oneTimeToken)}</code></p>
<p>Exchange it through the facade:</p>
<pre>${escapeHtml(mutation)}</pre>`,
  );
}

/** End of a journey inside an iframe: hand the result to the embedding page. */
export function handoffPage(message: HandoffMessage): string {
  return layout(
    'journey finished',
    `<h1>Journey finished</h1>
<p>Decision: ${escapeHtml(message.response)}. The page that embeds this journey has been told.</p>
<script>window.parent.postMessage(${scriptJson(message)}, '*');</script>`,
  );
}

/** A refused journey link or form. */
export function errorPage(title: string, detail: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(detail)}</p>`);
}

function duration(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} minutes` : `${seconds} seconds`;
}

function definitionList(rows: Array<[string, string]>): string {
  const items = rows.map(
    ([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`,
  );

  return `<dl>\n${items.join('\n')}\n</dl>`;
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1e293b;background:#f8fafc}
.banner{background:#b45309;color:#fff;padding:.5rem 1rem;font-weight:600}
main{max-width:40rem;margin:1.5rem auto;padding:0 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}
dd{margin:0;word-break:break-all}
code,pre{background:#e2e8f0;padding:.25rem;word-break:break-all;white-space:pre-wrap}
.actions button{margin-right:.5rem;padding:.5rem 1rem}`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kraken emulator · ${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<div class="banner">Kraken emulator: a local stand-in for Fractal ID, not the real service</div>
<main>
${body}
</main>
</body>
</html>
`;
}
