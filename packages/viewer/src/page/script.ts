/**
 * The viewer page's script (served at `/assets/viewer.js`). Plain ES2017 for any current
 * browser, no dependencies: it subscribes to `/stream` with the filter in the page URL, keeps
 * bounded state (200 records per list, 60 points per series, 60 metric cards), and redraws at
 * most five times a second with hand-drawn SVG charts. Text from records is always escaped.
 */
export const VIEWER_SCRIPT = String.raw`(function () {
  'use strict';
  var LIST_MAX = 200, POINTS_MAX = 60, CARDS_MAX = 60, SERIES_ROWS = 8, LINES_MAX = 5, PAUSE_QUEUE_MAX = 2000, RENDER_GAP_MS = 200;
  var COLORS = ['#58a6ff', '#3fb950', '#d29922', '#f85149', '#bc8cff', '#39c5cf'];
  var ALL = ['metric', 'event', 'error', 'security', 'budget', 'vital', 'log'];
  var $ = function (id) { return document.getElementById(id); };
  var token = new URLSearchParams(location.search).get('token') || '';
  var es = null, paused = false, pauseQueue = [], pauseDropped = 0, renderTimer = 0, lastRender = 0;
  var view, status = null, hello = null, lastMetricsFrame = null, sources = {};

  function emptyView() {
    return { events: [], logs: [], security: [], eventCounts: new Map(), riskCounts: { low: 0, medium: 0, high: 0, critical: 0 },
      errors: new Map(), budgets: new Map(), vitals: new Map(), metrics: new Map(), totalSeries: 0, aggregated: false, limit: 0 };
  }
  view = emptyView();

  function esc(v) {
    return String(v == null ? '' : v).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function fmt(n) {
    if (n == null || typeof n !== 'number' || !isFinite(n)) return '–';
    var a = Math.abs(n);
    if (a !== 0 && (a < 0.001 || a >= 1e9)) return n.toExponential(2);
    if (a >= 1000) return Math.round(n).toLocaleString('en');
    return String(Number(n.toPrecision(3)));
  }
  function fmtUnit(n, unit) {
    if (unit === 's' && typeof n === 'number') return n < 1 ? fmt(n * 1000) + ' ms' : fmt(n) + ' s';
    if (unit === 'By' && typeof n === 'number') return n >= 1048576 ? fmt(n / 1048576) + ' MiB' : n >= 1024 ? fmt(n / 1024) + ' KiB' : fmt(n) + ' B';
    return fmt(n);
  }
  function time(ms) { var d = new Date(ms); return d.toTimeString().slice(0, 8) + '.' + String(d.getMilliseconds()).padStart(3, '0'); }
  function attrs(a) {
    var keys = Object.keys(a || {}), out = [];
    for (var i = 0; i < keys.length && i < 8; i++) out.push(esc(keys[i]) + '=' + esc(a[keys[i]]));
    if (keys.length > 8) out.push('…');
    return out.join(' ');
  }
  function labelText(l) {
    var keys = Object.keys(l || {});
    if (keys.length === 0) return '(no labels)';
    return keys.map(function (k) { return k + '=' + l[k]; }).join(', ');
  }

  // ---------------------------------------------------------------- filters and connection

  function readFilter() {
    var checked = Array.prototype.slice.call(document.querySelectorAll('input[name="signal"]:checked')).map(function (i) { return i.value; });
    return { signals: checked, name: $('f-name').value.trim(), labels: $('f-label').value.split(',').map(function (s) { return s.trim(); }).filter(function (s) { return s.indexOf('=') > 0; }), source: $('f-source').value };
  }
  function filterQuery(f) {
    var q = new URLSearchParams();
    q.set('token', token);
    if (f.signals.length !== ALL.length) q.set('signals', f.signals.join(',') || 'none');
    if (f.name) q.set('name', f.name);
    f.labels.forEach(function (l) { q.append('label', l); });
    if (f.source) q.set('source', f.source);
    return q.toString();
  }
  function applyUrlToForm() {
    var q = new URLSearchParams(location.search);
    var signals = q.get('signals');
    var on = signals ? signals.split(',') : ALL;
    Array.prototype.forEach.call(document.querySelectorAll('input[name="signal"]'), function (i) { i.checked = on.indexOf(i.value) >= 0; });
    $('f-name').value = q.get('name') || '';
    $('f-label').value = q.getAll('label').join(', ');
    var source = q.get('source') || '';
    if (source) { addSource(source); $('f-source').value = source; }
  }
  function addSource(name) {
    if (!name || sources[name]) return;
    sources[name] = true;
    var opt = document.createElement('option');
    opt.value = name; opt.textContent = name;
    $('f-source').appendChild(opt);
  }
  function showSections(signals) {
    var map = { metric: 'metrics', event: 'events', error: 'errors', security: 'security', budget: 'budgets', vital: 'vitals', log: 'logs' };
    ALL.forEach(function (s) { $(map[s]).hidden = signals.indexOf(s) < 0; });
  }

  function connect() {
    if (es) es.close();
    var f = readFilter();
    showSections(f.signals);
    var query = filterQuery(f);
    history.replaceState(null, '', '?' + query);
    setConn('connecting');
    es = new EventSource('/stream?' + query);
    es.addEventListener('open', function () { setConn('open'); });
    es.addEventListener('error', function () { setConn(es.readyState === 2 ? 'closed' : 'error'); });
    es.addEventListener('hello', function (e) { hello = JSON.parse(e.data); document.body.setAttribute('data-stream', String(hello.stream)); });
    ['records', 'metrics', 'status'].forEach(function (kind) {
      es.addEventListener(kind, function (e) { receive(kind, JSON.parse(e.data)); });
    });
  }
  function setConn(state) {
    var c = $('conn');
    c.setAttribute('data-state', state);
    c.textContent = { open: 'live', connecting: 'connecting…', error: 'reconnecting…', closed: 'disconnected' }[state] || state;
  }

  var filterTimer = 0;
  function onFilterChange() {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(function () { view = emptyView(); pauseQueue = []; lastMetricsFrame = null; connect(); schedule(); }, 250);
  }

  // ---------------------------------------------------------------- incoming messages

  function receive(kind, data) {
    if (kind === 'status') { status = data; schedule(); return; }
    if (paused) {
      if (kind === 'metrics') {
        // Only the newest snapshot matters while paused.
        pauseQueue = pauseQueue.filter(function (m) { return m.kind !== 'metrics'; });
      }
      pauseQueue.push({ kind: kind, data: data });
      if (pauseQueue.length > PAUSE_QUEUE_MAX) { var gone = pauseQueue.shift(); pauseDropped += gone.kind === 'records' ? gone.data.records.length : 0; }
      schedule();
      return;
    }
    apply(kind, data);
    schedule();
  }
  function apply(kind, data) {
    if (kind === 'records') data.records.forEach(applyRecord);
    else if (kind === 'metrics') applyMetrics(data);
  }
  function pushBounded(list, item) { list.push(item); if (list.length > LIST_MAX) list.splice(0, list.length - LIST_MAX); }

  function applyRecord(r) {
    addSource(r.source);
    switch (r.type) {
      case 'event':
        pushBounded(view.events, r);
        view.eventCounts.set(r.name, (view.eventCounts.get(r.name) || 0) + 1);
        break;
      case 'log': pushBounded(view.logs, r); break;
      case 'security':
        pushBounded(view.security, r);
        if (r.level in view.riskCounts) view.riskCounts[r.level]++;
        break;
      case 'error': {
        var key = r.source + '|' + (r.group || r.name);
        var g = view.errors.get(key);
        if (!g) {
          if (view.errors.size >= 500) break;
          g = { group: r.group || r.name, name: r.name, message: r.message, level: r.level, source: r.source, count: 0, first: r.time, last: r.time };
          view.errors.set(key, g);
        }
        g.count++; g.last = Math.max(g.last, r.time); g.message = r.message; g.level = r.level;
        break;
      }
      case 'budget':
        if (view.budgets.size < 500 || view.budgets.has(r.source + '|' + r.name)) view.budgets.set(r.source + '|' + r.name, r);
        break;
      case 'vital': {
        var vk = r.source + '|' + r.name;
        var v = view.vitals.get(vk);
        if (!v) { if (view.vitals.size >= 100) break; v = { name: r.name, source: r.source, values: [], last: null }; view.vitals.set(vk, v); }
        v.last = r; v.values.push(r.value); if (v.values.length > 500) v.values.shift();
        break;
      }
    }
  }

  function applyMetrics(frame) {
    lastMetricsFrame = frame;
    view.totalSeries = frame.totalSeries; view.aggregated = frame.aggregated; view.limit = frame.limit;
    frame.metrics.forEach(function (m) {
      addSource(m.source);
      var key = m.source + '|' + m.name;
      var entry = view.metrics.get(key);
      if (!entry || entry.kind !== m.kind) { entry = { name: m.name, kind: m.kind, unit: m.unit, description: m.description, source: m.source, series: new Map() }; view.metrics.set(key, entry); }
      entry.seen = frame.time;
      m.series.forEach(function (s) {
        var sk = JSON.stringify(s.l);
        var e = entry.series.get(sk);
        if (!e) { e = { labels: s.l, points: [] }; entry.series.set(sk, e); }
        e.last = s; e.seen = frame.time;
        e.points.push([frame.time, primary(entry.kind, s), s.q ? s.q[1] : null, s.q ? s.q[2] : null]);
        if (e.points.length > POINTS_MAX) e.points.shift();
      });
      // Series that left (aggregation switched on or off, TTL) are forgotten.
      entry.series.forEach(function (e, sk) { if (e.seen !== frame.time) entry.series.delete(sk); });
    });
  }
  function primary(kind, s) {
    if (kind === 'counter') return s.r == null ? null : s.r;
    if (kind === 'histogram') return s.q ? s.q[0] : null;
    return s.v;
  }

  // ---------------------------------------------------------------- rendering

  function schedule() {
    if (renderTimer) return;
    var wait = Math.max(0, RENDER_GAP_MS - (Date.now() - lastRender));
    renderTimer = setTimeout(function () { renderTimer = 0; requestAnimationFrame(render); }, wait);
  }

  function render() {
    lastRender = Date.now();
    renderHeader(); renderNotices(); renderMetrics(); renderEvents(); renderErrors(); renderSecurity(); renderBudgets(); renderVitals(); renderLogs();
  }

  function renderHeader() {
    var dropped = status ? status.dropped : 0;
    var d = $('drops');
    d.setAttribute('data-dropped', String(dropped));
    d.textContent = fmt(dropped) + ' dropped';
    var load = status && status.load;
    $('rate').textContent = (load ? fmt(load.arrivedPerSecond) + ' records/s · ' : '') + fmt(status ? status.series : 0) + ' series';
    var p = $('pause');
    p.textContent = paused ? 'Resume (' + pauseQueue.length + ')' : 'Pause';
    p.setAttribute('aria-pressed', String(paused));
  }

  function renderNotices() {
    var out = [];
    if (view.aggregated) out.push(['aggregated', fmt(view.totalSeries) + ' series match, more than the ' + fmt(view.limit) + ' shown one by one: each metric is aggregated over its labels (counters summed, gauges averaged, histogram buckets merged). Narrow the filter to see single series.']);
    var load = status && status.load;
    if (load && load.sampledPerSecond > 0) out.push(['sampling', 'Over ' + fmt(load.limitPerSecond) + ' records/s: ' + fmt(load.arrivedPerSecond) + ' arrived in the last second and ' + fmt(load.sampledPerSecond) + ' were sampled out (counted in totals, not shown).']);
    if (status && status.dropped > 0) out.push(['dropped', 'This page fell behind: the server dropped ' + fmt(status.dropped) + ' records for it (its buffer is bounded).']);
    if (status && status.externalDropped > 0) out.push(['series-limit', fmt(status.externalDropped) + ' posted metric points were dropped: too many series from other processes.']);
    if (paused) out.push(['paused', 'Paused: ' + pauseQueue.length + ' updates waiting' + (pauseDropped ? ', ' + fmt(pauseDropped) + ' records dropped while paused' : '') + '.']);
    $('notices').innerHTML = out.map(function (n) { return '<div class="notice" data-notice="' + n[0] + '">' + esc(n[1]) + '</div>'; }).join('');
  }

  function renderMetrics() {
    var entries = Array.from(view.metrics.values());
    $('metrics-count').textContent = entries.length ? entries.length + ' metrics · ' + fmt(view.totalSeries) + ' series' : '';
    var html = entries.slice(0, CARDS_MAX).map(card).join('');
    if (entries.length > CARDS_MAX) html += '<p class="more">+ ' + (entries.length - CARDS_MAX) + ' more metrics: narrow the filter to see them.</p>';
    if (!entries.length) html = '<p class="more">No metrics yet.</p>';
    $('metric-cards').innerHTML = html;
  }

  function card(m) {
    var series = Array.from(m.series.values());
    series.sort(function (a, b) { return rank(m.kind, b) - rank(m.kind, a); });
    var lines = [];
    if (m.kind === 'histogram' && series.length) {
      var top = series[0];
      lines.push({ name: 'p50', pts: top.points.map(function (p) { return [p[0], p[1]]; }) });
      lines.push({ name: 'p95', pts: top.points.map(function (p) { return [p[0], p[2]]; }) });
      lines.push({ name: 'p99', pts: top.points.map(function (p) { return [p[0], p[3]]; }) });
    } else {
      series.slice(0, LINES_MAX).forEach(function (s) { lines.push({ name: labelText(s.labels), pts: s.points.map(function (p) { return [p[0], p[1]]; }) }); });
    }
    var what = m.kind === 'counter' ? 'rate /s' : m.kind === 'histogram' ? 'p50 / p95 / p99' + (series.length > 1 ? ' of the busiest series' : '') : 'value';
    var rows = series.slice(0, SERIES_ROWS).map(function (s) {
      var l = s.last || {};
      var cells = m.kind === 'histogram'
        ? '<td>' + fmt(l.r) + '/s</td><td>' + (l.q ? fmtUnit(l.q[0], m.unit) + ' · ' + fmtUnit(l.q[1], m.unit) + ' · ' + fmtUnit(l.q[2], m.unit) : '–') + '</td>'
        : m.kind === 'counter' ? '<td>' + fmt(l.r) + '/s</td><td>' + fmtUnit(l.v, m.unit) + ' total</td>' : '<td colspan="2">' + fmtUnit(l.v, m.unit) + '</td>';
      return '<tr data-series="' + esc(labelText(s.labels)) + '"><td>' + esc(labelText(s.labels)) + '</td>' + cells + '</tr>';
    }).join('');
    var more = series.length > SERIES_ROWS ? '<p class="more">+ ' + (series.length - SERIES_ROWS) + ' more series</p>' : '';
    return '<div class="card" data-signal="metric" data-name="' + esc(m.name) + '" data-kind="' + m.kind + '" data-source="' + esc(m.source) + '">' +
      '<h3>' + esc(m.name) + ' <small>' + esc(m.kind) + (m.unit ? ' · ' + esc(m.unit) : '') + ' · ' + esc(m.source) + ' · ' + what + '</small></h3>' +
      chart(lines, m.unit) +
      '<div class="legend">' + lines.map(function (l, i) { return '<span class="c' + (i % COLORS.length) + '">● ' + esc(l.name) + '</span>'; }).join('') + '</div>' +
      '<table><tbody>' + rows + '</tbody></table>' + more + '</div>';
  }
  function rank(kind, s) { var l = s.last || {}; return kind === 'counter' || kind === 'histogram' ? (l.r || 0) : Math.abs(l.v || 0); }

  function chart(lines, unit) {
    var W = 320, H = 90, pad = 2, min = Infinity, max = -Infinity, t0 = Infinity, t1 = -Infinity;
    lines.forEach(function (l) { l.pts.forEach(function (p) { if (p[1] == null) return; min = Math.min(min, p[1]); max = Math.max(max, p[1]); t0 = Math.min(t0, p[0]); t1 = Math.max(t1, p[0]); }); });
    if (!isFinite(min)) return '<svg viewBox="0 0 320 90" role="img" aria-label="no data yet"><text x="8" y="50" fill="#8a96a3" font-size="11">waiting for data…</text></svg>';
    if (min > 0) min = 0;
    if (max === min) max = min + 1;
    if (t1 === t0) t0 = t1 - 1;
    var x = function (t) { return pad + (W - 2 * pad) * (t - t0) / (t1 - t0); };
    var y = function (v) { return H - pad - (H - 2 * pad - 12) * (v - min) / (max - min); };
    var paths = lines.map(function (l, i) {
      var d = '', pen = false;
      l.pts.forEach(function (p) {
        if (p[1] == null) { pen = false; return; }
        d += (pen ? 'L' : 'M') + x(p[0]).toFixed(1) + ' ' + y(p[1]).toFixed(1);
        pen = true;
      });
      return d ? '<path d="' + d + '" fill="none" stroke="' + COLORS[i % COLORS.length] + '" stroke-width="1.5"/>' : '';
    }).join('');
    return '<svg viewBox="0 0 320 90" preserveAspectRatio="none" role="img" aria-label="chart">' +
      '<text x="4" y="10" fill="#8a96a3" font-size="9">' + esc(fmtUnit(max, unit)) + '</text>' +
      '<text x="4" y="86" fill="#8a96a3" font-size="9">' + esc(fmtUnit(min, unit)) + '</text>' + paths + '</svg>';
  }

  function feedItem(r, body) {
    return '<li data-signal="' + r.type + '" data-name="' + esc(r.name) + '"' + (r.level ? ' data-level="' + esc(r.level) + '"' : '') + '>' +
      '<span class="t">' + time(r.time) + '</span>' + body + '<span class="src">' + esc(r.source) + '</span></li>';
  }

  function renderEvents() {
    var totals = new Map();
    if (status && status.totals) status.totals.forEach(function (t) { if (t.type === 'event') totals.set(t.name, t.count); });
    var names = Array.from(new Set(Array.from(view.eventCounts.keys()).concat(Array.from(totals.keys()))));
    names.sort(function (a, b) { return (totals.get(b) || view.eventCounts.get(b) || 0) - (totals.get(a) || view.eventCounts.get(a) || 0); });
    $('event-totals').innerHTML = names.slice(0, 50).map(function (n) {
      return '<tr data-signal="event" data-name="' + esc(n) + '"><td>' + esc(n) + '</td><td>' + fmt(view.eventCounts.get(n) || 0) + '</td><td>' + fmt(totals.get(n) || 0) + '</td></tr>';
    }).join('');
    $('event-list').innerHTML = view.events.slice(-50).reverse().map(function (r) { return feedItem(r, '<b>' + esc(r.name) + '</b> <span class="attrs">' + attrs(r.attributes) + '</span>'); }).join('');
  }

  function renderErrors() {
    var groups = Array.from(view.errors.values()).sort(function (a, b) { return b.last - a.last; });
    $('error-groups').innerHTML = groups.slice(0, 100).map(function (g) {
      return '<tr data-signal="error" data-group="' + esc(g.group) + '" data-name="' + esc(g.name) + '"><td><b>' + esc(g.name) + '</b>: ' + esc(g.message) + ' <span class="src">' + esc(g.source) + '</span></td>' +
        '<td><span class="level" data-level="' + esc(g.level) + '">' + esc(g.level) + '</span></td><td>' + g.count + '</td><td>' + time(g.last) + '</td></tr>';
    }).join('');
  }

  function renderSecurity() {
    $('risk-counts').innerHTML = ['critical', 'high', 'medium', 'low'].map(function (r) {
      return '<span data-level="' + r + '" data-risk="' + r + '">' + r + ' ' + view.riskCounts[r] + '</span>';
    }).join('');
    var order = { critical: 0, high: 1, medium: 2, low: 3 };
    var list = view.security.slice(-100).reverse().sort(function (a, b) { return (order[a.level] == null ? 4 : order[a.level]) - (order[b.level] == null ? 4 : order[b.level]); });
    $('security-list').innerHTML = list.map(function (r) {
      return feedItem(r, '<span class="risk" data-level="' + esc(r.level) + '">' + esc(r.level) + '</span> <b>' + esc(r.name) + '</b> <span class="attrs">' + attrs(r.attributes) + '</span>');
    }).join('');
  }

  function renderBudgets() {
    $('budget-table').innerHTML = Array.from(view.budgets.values()).map(function (r) {
      return '<tr data-signal="budget" data-name="' + esc(r.name) + '" data-state="' + esc(r.level) + '"><td>' + esc(r.name) + (r.message ? '<br><small>' + esc(r.message) + '</small>' : '') + '</td>' +
        '<td><span class="level" data-level="' + esc(r.level) + '">' + esc(r.level) + '</span></td><td>' + fmt(r.value) + '</td><td>' + fmt(r.attributes && r.attributes.limit) + '</td></tr>';
    }).join('');
  }

  function p75(values) { var s = values.slice().sort(function (a, b) { return a - b; }); return s[Math.min(s.length - 1, Math.ceil(s.length * 0.75) - 1)]; }
  function renderVitals() {
    $('vital-table').innerHTML = Array.from(view.vitals.values()).map(function (v) {
      var rating = v.last.level || '';
      return '<tr data-signal="vital" data-name="' + esc(v.name) + '"><td>' + esc(v.name) + ' <span class="src">' + esc(v.source) + '</span></td><td>' + fmt(v.last.value) + '</td><td>' + fmt(p75(v.values)) + '</td>' +
        '<td><span class="level" data-level="' + esc(rating) + '">' + esc(rating || '–') + '</span></td><td>' + v.values.length + '</td></tr>';
    }).join('');
  }

  function renderLogs() {
    $('log-list').innerHTML = view.logs.slice(-100).reverse().map(function (r) { return feedItem(r, '<span class="level" data-level="' + esc(String(r.level).toLowerCase()) + '">' + esc(r.level) + '</span> ' + esc(r.message)); }).join('');
  }

  // ---------------------------------------------------------------- controls

  function togglePause() {
    paused = !paused;
    if (!paused) { var queued = pauseQueue; pauseQueue = []; pauseDropped = 0; queued.forEach(function (m) { apply(m.kind, m.data); }); }
    schedule();
  }
  function clearView() { view = emptyView(); pauseQueue = []; pauseDropped = 0; schedule(); }

  function exportJson() {
    var data = {
      exportedAt: new Date().toISOString(),
      filter: readFilter(),
      metrics: Array.from(view.metrics.values()).map(function (m) {
        return { name: m.name, kind: m.kind, unit: m.unit, source: m.source, series: Array.from(m.series.values()).map(function (s) { return { labels: s.labels, last: s.last, points: s.points }; }) };
      }),
      events: view.events, errors: Array.from(view.errors.values()), security: view.security,
      budgets: Array.from(view.budgets.values()), vitals: Array.from(view.vitals.values()), logs: view.logs, status: status,
    };
    var blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'lookout-viewer-' + new Date().toISOString().replace(/[:.]/g, '-') + '.json';
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
  }

  $('pause').addEventListener('click', togglePause);
  $('clear').addEventListener('click', clearView);
  $('export').addEventListener('click', exportJson);
  $('filters').addEventListener('input', onFilterChange);
  $('filters').addEventListener('change', onFilterChange);
  $('filters').addEventListener('submit', function (e) { e.preventDefault(); });
  applyUrlToForm();
  connect();
  schedule();
})();
`;
