// Every citizen page: registers the service worker (pages kept for reading offline, a request
// submitted without a network sent when it returns), asks it at each visit and whenever the
// network returns to send what waits, and shows what it reports: a request that left (its code),
// one the server sent back, one whose body closed. A form waiting for its request goes to the
// outcome's page instead. The confirmation page tells the device its draft has left; the form
// gets its drafts. build.rs heads this file with DRAFTS, the drafts script's address.
(function () {
  'use strict';
  if (!window.Promise) return;
  var done = location.pathname === '/requete/enregistree' && /[?&]f=([\w-]{22})(?:&|$)/.exec(location.search);
  var forgotten = done && window.indexedDB ? store.remove(done[1]).catch(function () {}) : Promise.resolve();
  var sw = navigator.serviceWorker;
  var form = document.getElementById('submission');
  // The request this form waits for: the one the service worker queued on the way here
  // (#attente=<form key>), or one queued for this body.
  var waiting = /#attente=([\w-]{22})$/.exec(location.hash);
  waiting = waiting ? waiting[1] : null;

  function outcome(r) {
    return r.state === 'sent' ? r.href : r.state === 'refused' ? r.url : r.gone ? r.goneUrl : null;
  }
  var leaving = false;
  function leave(href) {
    if (!leaving) location.replace(href);
    leaving = true;
  }

  // The form's drafts (drafts.js) come when the device holds a record, or at the first thing typed
  // or chosen: a citizen who only looks downloads none of it.
  if (form && window.indexedDB) {
    var load = function (event) {
      if (load.done) return;
      load.done = true;
      if (event) form.setAttribute('data-touched', '');
      form.removeEventListener('input', load);
      form.removeEventListener('change', load);
      var script = document.createElement('script');
      script.src = DRAFTS;
      document.head.appendChild(script);
    };
    form.addEventListener('input', load);
    form.addEventListener('change', load);
    store.all().then(function (records) {
      var mine = records.filter(function (r) { return r.key.charAt(0) !== '~'; });
      var r = mine.filter(function (x) { return x.key === waiting; })[0] ||
        mine.filter(function (x) { return x.state === 'queued' && x.body === form.elements.organisme.value; })[0];
      if (r) {
        waiting = r.key;
        // Already settled while this page came: its outcome's page.
        if (r.state !== 'queued' && outcome(r)) return leave(outcome(r));
      }
      if (mine.length) load(null);
    }, function () {});
  }
  if (!sw) return;
  // Under the service worker's care from the start: not the first visit.
  var warm = !!sw.controller;
  sw.register('/sw.js').catch(function () {});

  function flush() {
    forgotten.then(function () { return sw.ready; }).then(function (reg) {
      if (reg.active) reg.active.postMessage({ type: 'flush', warm: warm });
    });
  }
  window.addEventListener('online', flush);
  flush();

  var shown = {};
  sw.addEventListener('message', function (event) {
    var m = event.data || {};
    if (m.type !== 'announce' || m.state === 'queued') return;
    var seen = function () { if (event.source) event.source.postMessage({ type: 'seen', key: m.key }); };
    if (form && m.key === (form.getAttribute('data-waiting') || waiting)) {
      seen();
      return leave(m.href);
    }
    if (shown[m.key] || !m.text) return;
    shown[m.key] = true;
    var main = document.getElementById('main');
    var box = document.createElement('div');
    box.className = m.ok ? 'success' : 'notice';
    box.setAttribute('role', 'status');
    var p = document.createElement('p');
    p.textContent = m.text + ' ';
    if (m.href) {
      var a = document.createElement('a');
      a.href = m.href;
      a.textContent = m.link;
      p.appendChild(a);
    }
    box.appendChild(p);
    main.insertBefore(box, main.firstChild);
    seen();
  });
})();
