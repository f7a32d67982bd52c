/** The viewer page's stylesheet (served at `/assets/viewer.css`). */
export const VIEWER_STYLE = `
:root { color-scheme: dark; --bg: #111418; --panel: #1a1f26; --line: #2a313b; --text: #dde3ea; --muted: #8a96a3;
  --ok: #3fb950; --warn: #d29922; --bad: #f85149; --crit: #ff2f6d; --accent: #58a6ff; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--text); }
header { display: flex; align-items: center; gap: 12px; padding: 8px 16px; border-bottom: 1px solid var(--line); position: sticky; top: 0; background: var(--bg); z-index: 2; }
h1 { font-size: 16px; margin: 0; } h1 small { color: var(--accent); font-weight: normal; }
h2 { font-size: 13px; margin: 0 0 8px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
h2 small { text-transform: none; letter-spacing: 0; }
.spacer { flex: 1; }
.figure { color: var(--muted); font-variant-numeric: tabular-nums; }
#drops[data-dropped]:not([data-dropped="0"]) { color: var(--warn); }
#conn { padding: 2px 8px; border-radius: 10px; background: var(--panel); }
#conn[data-state="open"] { color: var(--ok); } #conn[data-state="closed"], #conn[data-state="error"] { color: var(--bad); }
button { background: var(--panel); color: var(--text); border: 1px solid var(--line); border-radius: 4px; padding: 4px 10px; cursor: pointer; }
button[aria-pressed="true"] { border-color: var(--warn); color: var(--warn); }
form { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; padding: 8px 16px; border-bottom: 1px solid var(--line); }
fieldset { border: 0; padding: 0; margin: 0; display: flex; gap: 8px; align-items: center; } legend { float: left; margin-right: 4px; color: var(--muted); }
input[type="search"], select { background: var(--panel); color: var(--text); border: 1px solid var(--line); border-radius: 4px; padding: 3px 6px; min-width: 180px; }
#notices:empty { display: none; }
#notices { padding: 6px 16px; display: flex; flex-direction: column; gap: 4px; }
.notice { padding: 4px 8px; border-left: 3px solid var(--warn); background: var(--panel); }
main { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 12px; padding: 12px 16px; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px; min-width: 0; }
section.wide { grid-column: 1 / -1; }
section[hidden] { display: none; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 2px 6px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
th { color: var(--muted); font-weight: normal; }
.feed { list-style: none; margin: 8px 0 0; padding: 0; max-height: 260px; overflow: auto; font-family: ui-monospace, Menlo, monospace; font-size: 12px; }
.feed li { padding: 2px 0; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
.t { color: var(--muted); margin-right: 6px; } .src { color: var(--accent); margin-left: 6px; } .attrs { color: var(--muted); }
#metric-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 4px; padding: 8px; min-width: 0; }
.card h3 { font-size: 13px; margin: 0 0 4px; overflow-wrap: anywhere; } .card h3 small { color: var(--muted); font-weight: normal; }
.card svg { width: 100%; height: 90px; display: block; background: #0d1014; border-radius: 3px; }
.card table { margin-top: 4px; font-size: 12px; }
.legend span { margin-right: 8px; font-size: 11px; }
.c0 { color: #58a6ff; } .c1 { color: #3fb950; } .c2 { color: #d29922; } .c3 { color: #f85149; } .c4 { color: #bc8cff; } .c5 { color: #39c5cf; }
.more { color: var(--muted); font-size: 12px; }
.risk, .level { padding: 0 6px; border-radius: 8px; font-size: 11px; border: 1px solid currentColor; }
[data-level="low"], [data-level="good"], [data-level="ok"] { color: var(--ok); }
[data-level="medium"], [data-level="warning"], [data-level="needs-improvement"] { color: var(--warn); }
[data-level="high"], [data-level="poor"], [data-level="exceeded"], [data-level="anomaly"] { color: var(--bad); }
[data-level="critical"] { color: var(--crit); }
#risk-counts { display: flex; gap: 8px; }
#risk-counts span { padding: 2px 8px; border-radius: 4px; background: #0d1014; }
`;
