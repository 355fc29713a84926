/**
 * The operations board: one page, plain HTML, CSS and a little script, nothing loaded from anywhere else (the CSP in
 * ops-board.ts forbids it). It keeps the ops JWT the operator pastes in sessionStorage (gone when the tab closes) and
 * sends it as a bearer token on every call to the ops API on the same origin; without a token it shows only the
 * sign-in form. Every value from the API is put on the page as text (textContent), never as HTML.
 */
export const OPS_BOARD_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ace-filing operations</title>
<style>
  :root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bad: #a40e26; --warn: #7d4e00; --ok: #1a7f37; --accent: #0550ae; }
  * { box-sizing: border-box; }
  body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0; background: #f6f8fa; }
  header { background: #24292f; color: #fff; padding: .6rem 1rem; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
  header h1 { font-size: 1.1rem; margin: 0; }
  header .status { margin-left: auto; font-size: .85rem; }
  main { padding: 1rem; display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); }
  section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem; min-width: 0; overflow-x: auto; }
  section.wide { grid-column: 1 / -1; }
  h2 { font-size: 1rem; margin: 0 0 .5rem; }
  table { border-collapse: collapse; width: 100%; font-size: .9rem; }
  caption { text-align: left; color: var(--muted); font-size: .8rem; padding-bottom: .3rem; }
  th, td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
  th { font-weight: 600; }
  .counts { display: flex; flex-wrap: wrap; gap: .5rem; list-style: none; padding: 0; margin: 0; }
  .counts li { border: 1px solid var(--line); border-radius: 4px; padding: .3rem .6rem; min-width: 8.5rem; }
  .counts .n { font-size: 1.3rem; font-weight: 700; display: block; }
  .bad { color: var(--bad); } .warn { color: var(--warn); } .ok { color: var(--ok); }
  button, input, select { font: inherit; }
  button { border: 1px solid var(--line); background: #f6f8fa; border-radius: 4px; padding: .2rem .6rem; cursor: pointer; }
  button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
  button:focus-visible, input:focus-visible, a:focus-visible { outline: 3px solid #0969da; outline-offset: 1px; }
  a { color: var(--accent); }
  .linklike { background: none; border: none; color: var(--accent); text-decoration: underline; padding: 0; }
  #signin { max-width: 40rem; margin: 3rem auto; }
  #signin textarea { width: 100%; min-height: 6rem; font-family: ui-monospace, monospace; font-size: .8rem; }
  ol.story { padding-left: 1.2rem; margin: .3rem 0; }
  .headline { font-weight: 600; }
  .actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-top: .5rem; }
  .actions label { display: flex; flex-direction: column; font-size: .85rem; }
  #message { min-height: 1.4rem; }
  .empty { color: var(--muted); font-style: italic; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<header>
  <h1>ace-filing operations</h1>
  <span class="status" id="refreshed" aria-live="polite"></span>
  <button type="button" id="signout" hidden>Sign out</button>
</header>

<form id="signin" hidden>
  <section>
    <h2>Sign in with the operations role</h2>
    <p>Paste an ops JWT (in AWS: the Cognito ID token of a user in the <code>ops</code> group; locally:
      <code>npm run -s token -- --role ops</code>). It is kept in this tab only (sessionStorage) and sent to the API
      as a bearer token; nothing shows without it.</p>
    <label for="token">Ops token</label>
    <textarea id="token" name="token" required autocomplete="off" spellcheck="false"></textarea>
    <p><button class="primary" type="submit">Sign in</button></p>
    <p id="signin-error" class="bad" role="alert"></p>
  </section>
</form>

<main id="board" hidden>
  <section class="wide" aria-labelledby="h-counts">
    <h2 id="h-counts">Pipeline now</h2>
    <ul class="counts" id="counts"></ul>
    <p id="conversion"></p>
  </section>
  <section aria-labelledby="h-stuck">
    <h2 id="h-stuck">Stuck (past their threshold)</h2>
    <p id="escalations" role="status"></p>
    <table><caption>Oldest first, with why and what would unstick it</caption>
      <thead><tr><th scope="col">Application</th><th scope="col">Status</th><th scope="col">For</th><th scope="col">What would unstick it</th></tr></thead>
      <tbody id="stuck"></tbody></table>
  </section>
  <section aria-labelledby="h-failed">
    <h2 id="h-failed">Failed</h2>
    <table><caption>The state that failed, the error, and what a redrive does</caption>
      <thead><tr><th scope="col">Application</th><th scope="col">Failed in</th><th scope="col">Error</th><th scope="col">Action</th></tr></thead>
      <tbody id="failed"></tbody></table>
  </section>
  <section aria-labelledby="h-executions">
    <h2 id="h-executions">Newest executions</h2>
    <table><caption>From Step Functions, newest first</caption>
      <thead><tr><th scope="col">Application</th><th scope="col">Status</th><th scope="col">Started</th></tr></thead>
      <tbody id="executions"></tbody></table>
  </section>
  <section aria-labelledby="h-partners">
    <h2 id="h-partners">Partners (last 30 days)</h2>
    <table><caption>Load now; reviews, approval rate and review time over the window</caption>
      <thead><tr><th scope="col">Partner</th><th scope="col">Load</th><th scope="col">Reviews</th><th scope="col">Approved</th><th scope="col">Review time (median)</th></tr></thead>
      <tbody id="partners"></tbody></table>
  </section>
  <section class="wide" id="detail" aria-labelledby="h-detail" hidden>
    <h2 id="h-detail">Application</h2>
    <p id="detail-summary"></p>
    <h3>Execution story</h3>
    <div id="story"></div>
    <h3>Timeline</h3>
    <table><thead><tr><th scope="col">When</th><th scope="col">From</th><th scope="col">To</th><th scope="col">By</th><th scope="col">Why</th></tr></thead>
      <tbody id="timeline"></tbody></table>
    <form class="actions" id="actions">
      <label>Reason (required)<input id="reason" name="reason" required minlength="3" maxlength="500" size="40"></label>
      <button type="submit" data-action="redrive">Redrive</button>
      <button type="submit" data-action="nudge">Nudge</button>
      <button type="submit" data-action="cancel">Cancel application</button>
      <label>Partner id<input id="partner" name="partner" size="14" pattern="[a-z0-9-]{1,64}"></label>
      <button type="submit" data-action="reassign">Reassign</button>
    </form>
  </section>
  <p id="message" class="wide" role="status" aria-live="polite"></p>
</main>

<script>
(function () {
  'use strict';
  var KEY = 'ace-filing-ops-token';
  var params = new URLSearchParams(location.search);
  // At most an hour: a browser runs a timer whose delay exceeds 2^31 - 1 ms at once, over and over.
  var refreshSeconds = Math.min(3600, Math.max(2, Number(params.get('refresh')) || 15));
  var selected = null;
  var timer = null;
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function row(cells) {
    var tr = document.createElement('tr');
    cells.forEach(function (c) { var td = document.createElement('td'); if (c instanceof Node) td.appendChild(c); else td.textContent = c == null ? '' : String(c); tr.appendChild(td); });
    return tr;
  }
  function fill(tbody, rows, cols, empty) {
    tbody.replaceChildren();
    if (!rows.length) { var tr = document.createElement('tr'); var td = el('td', empty, 'empty'); td.colSpan = cols; tr.appendChild(td); tbody.appendChild(tr); return; }
    rows.forEach(function (r) { tbody.appendChild(r); });
  }
  function words(s) { return String(s).replace(/_/g, ' '); }
  function hours(h) { return h >= 48 ? Math.round(h / 24) + ' days' : Math.round(h) + ' h'; }
  function when(iso) { return iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : ''; }
  function appLink(id) {
    var b = el('button', id, 'linklike');
    b.type = 'button';
    b.setAttribute('aria-label', 'Open application ' + id);
    b.addEventListener('click', function () { openApp(id); });
    return b;
  }

  function token() { return sessionStorage.getItem(KEY); }
  function api(method, path, body) {
    return fetch(path, {
      method: method,
      headers: Object.assign({ authorization: 'Bearer ' + token() }, body ? { 'content-type': 'application/json' } : {}),
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (res) {
      return res.text().then(function (text) {
        var data = {};
        try { data = text ? JSON.parse(text) : {}; } catch (e) { data = { message: text }; }
        if (res.status === 401 || res.status === 403) { signOut('That token is not accepted for operations (' + res.status + ').'); throw new Error('unauthorized'); }
        if (!res.ok) { var err = new Error(data.message || ('HTTP ' + res.status)); err.status = res.status; err.data = data; throw err; }
        return data;
      });
    });
  }

  function show(signedIn) {
    $('signin').hidden = signedIn;
    $('board').hidden = !signedIn;
    $('signout').hidden = !signedIn;
  }
  function signOut(why) {
    sessionStorage.removeItem(KEY);
    if (timer) clearInterval(timer);
    timer = null;
    show(false);
    $('refreshed').textContent = '';
    $('signin-error').textContent = why || '';
  }

  function renderCounts(p) {
    var ul = $('counts');
    ul.replaceChildren();
    Object.keys(p.counts).filter(function (s) { return p.counts[s] > 0; }).forEach(function (s) {
      var li = el('li');
      li.dataset.status = s;
      li.appendChild(el('span', p.counts[s], 'n' + (s === 'failed' ? ' bad' : '')));
      li.appendChild(el('span', words(s)));
      ul.appendChild(li);
    });
    if (!ul.children.length) ul.appendChild(el('li', 'No applications yet', 'empty'));
    var c = p.conversion;
    $('conversion').textContent = 'Last ' + p.window.days + ' days: ' + c.submitted + ' submitted, ' + c.filed + ' filed, ' + c.approved + ' approved, ' + c.creditsApplied +
      ' with credits applied; $' + c.askedUsd + ' asked, $' + c.approvedUsd + ' approved, $' + c.appliedUsd + ' applied; ' + p.redrives + ' redrive(s).';
    fill($('partners'), p.partners.map(function (x) {
      return row([x.name + ' (' + x.partnerId + ')', x.load + ' / ' + x.capacity, x.reviews, x.approvalRate === null ? '-' : Math.round(x.approvalRate * 100) + ' %',
        x.reviewTime.medianHours === null ? '-' : 'at most ' + hours(x.reviewTime.medianHours)]);
    }), 5, 'No partners');
  }

  function refresh() {
    return Promise.all([
      api('GET', '/ops/pipeline'),
      api('GET', '/ops/stuck?limit=25'),
      api('GET', '/ops/failed?limit=25'),
      api('GET', '/ops/executions?limit=10'),
    ]).then(function (r) {
      renderCounts(r[0]);
      fill($('stuck'), r[1].items.map(function (i) {
        return row([appLink(i.id), words(i.status) + (i.escalated ? ' (escalated)' : ''), hours(i.hoursInStatus) + ' (limit ' + hours(i.thresholdHours) + ')', i.unstick]);
      }), 4, 'Nothing is stuck');
      var escalated = r[1].items.filter(function (i) { return i.escalated; });
      $('escalations').textContent = escalated.length
        ? escalated.length + ' escalated: their reminders ran out and the workflow has ended (' + escalated.map(function (i) { return i.id; }).join(', ') + ')'
        : 'No escalations: every reminded wait is within its reminders.';
      fill($('failed'), r[2].items.map(function (i) {
        var b = el('button', 'Redrive');
        b.type = 'button';
        b.setAttribute('aria-label', 'Redrive ' + i.id);
        b.title = i.redrive;
        b.addEventListener('click', function () { openApp(i.id).then(function () { $('reason').focus(); }); });
        return row([appLink(i.id), i.state, i.error + (i.cause ? ': ' + i.cause.slice(0, 120) : ''), b]);
      }), 4, 'Nothing has failed');
      fill($('executions'), r[3].items.map(function (e) {
        return row([appLink(e.applicationId), e.status, when(e.startDate)]);
      }), 3, 'No executions yet');
      $('refreshed').textContent = 'Updated ' + new Date().toLocaleTimeString() + ', every ' + refreshSeconds + ' s';
      if (selected) return openApp(selected, true);
    }).catch(function (e) { if (e.message !== 'unauthorized') $('message').textContent = 'Could not refresh: ' + e.message; });
  }

  function openApp(id, quiet) {
    selected = id;
    return Promise.all([api('GET', '/ops/applications/' + encodeURIComponent(id)), api('GET', '/ops/applications/' + encodeURIComponent(id) + '/story')]).then(function (r) {
      var app = r[0], story = r[1];
      $('detail').hidden = false;
      $('h-detail').textContent = 'Application ' + app.id + ' (' + app.company + ')';
      $('detail-summary').textContent = 'Status: ' + words(app.status) + ' for ' + hours(app.hoursInStatus) + (app.partnerId ? '; partner ' + app.partnerId : '') +
        (app.failure ? '; failed in ' + app.failure.state + ': ' + app.failure.error : '');
      var box = $('story');
      box.replaceChildren();
      story.executions.forEach(function (x) {
        var wrap = el('div');
        wrap.className = 'execution';
        wrap.appendChild(el('p', x.status + ': ' + x.headline, 'headline ' + (x.status === 'FAILED' ? 'bad' : x.status === 'RUNNING' ? 'ok' : '')));
        var ol = el('ol', null, 'story');
        x.sentences.forEach(function (s) { ol.appendChild(el('li', s)); });
        wrap.appendChild(ol);
        box.appendChild(wrap);
      });
      if (!story.executions.length) box.appendChild(el('p', 'No execution found', 'empty'));
      fill($('timeline'), app.timeline.map(function (t) { return row([when(t.at), t.from ? words(t.from) : '-', words(t.to), t.by, t.reason]); }), 5, 'No transitions');
      if (!quiet) $('detail').scrollIntoView({ block: 'nearest' });
    }).catch(function (e) { if (e.message !== 'unauthorized') $('message').textContent = 'Could not open ' + id + ': ' + e.message; });
  }

  $('actions').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var action = ev.submitter && ev.submitter.dataset.action;
    if (!selected || !action) return;
    var body = { reason: $('reason').value.trim() };
    if (action === 'reassign') body.partnerId = $('partner').value.trim();
    $('message').textContent = action + ' ' + selected + '…';
    api('POST', '/ops/applications/' + encodeURIComponent(selected) + '/' + action, body).then(function (res) {
      $('message').textContent = action + ' ' + res.applicationId + ': ' + (res.applied ? 'done' : 'already done') + ', now ' + words(res.status) + ' (' + res.detail + ')';
      $('reason').value = '';
      return refresh();
    }).catch(function (e) {
      if (e.message === 'unauthorized') return;
      var problems = e.data && e.data.problems ? ' (' + e.data.problems.map(function (p) { return p.field + ' ' + p.rule; }).join('; ') + ')' : '';
      $('message').textContent = action + ' refused: ' + e.message + problems;
    });
  });

  $('signin').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var t = $('token').value.trim().replace(/^Bearer\s+/i, '');
    if (!t) return;
    sessionStorage.setItem(KEY, t);
    $('token').value = '';
    start();
  });
  $('signout').addEventListener('click', function () { signOut(''); });

  function start() {
    if (!token()) { show(false); return; }
    show(true);
    refresh();
    if (timer) clearInterval(timer);
    timer = setInterval(refresh, refreshSeconds * 1000);
  }
  start();
})();
</script>
</body>
</html>
`;
