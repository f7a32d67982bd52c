/**
 * The viewer page. Everything it needs is served by the viewer itself (`/assets/viewer.js`,
 * `/assets/viewer.css`); the Content-Security-Policy allows nothing else, so the page makes no
 * external request. The token stays in the page URL and is read by the script.
 */
export const VIEWER_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Lookout viewer</title>
<link rel="stylesheet" href="/assets/viewer.css">
</head>
<body>
<header>
  <h1>Lookout <small>live</small></h1>
  <span id="conn" data-state="connecting">connecting…</span>
  <span id="rate" class="figure"></span>
  <span id="drops" class="figure" data-dropped="0">0 dropped</span>
  <span class="spacer"></span>
  <button id="pause" type="button" aria-pressed="false">Pause</button>
  <button id="clear" type="button">Clear</button>
  <button id="export" type="button">Export JSON</button>
</header>
<form id="filters" autocomplete="off">
  <fieldset id="signals">
    <legend>Signals</legend>
    <label><input type="checkbox" name="signal" value="metric" checked> metrics</label>
    <label><input type="checkbox" name="signal" value="event" checked> events</label>
    <label><input type="checkbox" name="signal" value="error" checked> errors</label>
    <label><input type="checkbox" name="signal" value="security" checked> security</label>
    <label><input type="checkbox" name="signal" value="budget" checked> budgets</label>
    <label><input type="checkbox" name="signal" value="vital" checked> vitals</label>
    <label><input type="checkbox" name="signal" value="log" checked> logs</label>
  </fieldset>
  <label>Name <input id="f-name" type="search" placeholder="contains, * wildcard" spellcheck="false"></label>
  <label>Labels <input id="f-label" type="search" placeholder="route=/checkout, status=500" spellcheck="false"></label>
  <label>Source <select id="f-source"><option value="">all</option></select></label>
</form>
<div id="notices" role="status" aria-live="polite"></div>
<main>
  <section id="metrics" class="wide"><h2>Metrics <small id="metrics-count"></small></h2><div id="metric-cards"></div></section>
  <section id="errors"><h2>Errors <small>by group</small></h2><table><thead><tr><th>Error</th><th>Severity</th><th>Count</th><th>Last seen</th></tr></thead><tbody id="error-groups"></tbody></table></section>
  <section id="security"><h2>Security <small>by risk</small></h2><div id="risk-counts"></div><ol id="security-list" class="feed"></ol></section>
  <section id="events"><h2>Events</h2><table><thead><tr><th>Event</th><th>Shown</th><th>Total</th></tr></thead><tbody id="event-totals"></tbody></table><ol id="event-list" class="feed"></ol></section>
  <section id="budgets"><h2>Budgets &amp; anomalies</h2><table><thead><tr><th>Budget</th><th>State</th><th>Value</th><th>Limit</th></tr></thead><tbody id="budget-table"></tbody></table></section>
  <section id="vitals"><h2>Web vitals</h2><table><thead><tr><th>Vital</th><th>Last</th><th>p75</th><th>Rating</th><th>n</th></tr></thead><tbody id="vital-table"></tbody></table></section>
  <section id="logs"><h2>Logs</h2><ol id="log-list" class="feed"></ol></section>
</main>
<script src="/assets/viewer.js"></script>
</body>
</html>
`;
