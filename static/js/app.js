// Every citizen page: registers the service worker (pages kept for reading offline, a request
// submitted without a network sent when it returns), asks it at each visit and whenever the
// network returns to send what waits, and shows what it reports (a request that left, with its
// code; one the server sent back). The confirmation page tells the device its draft has left;
// the form gets its drafts. build.rs heads this file with DRAFTS, the drafts script's address.
(function () {
  'use strict';
  if (!window.Promise) return;
  var done = location.pathname === '/requete/enregistree' && /[?&]f=([\w-]{22})(?:&|$)/.exec(location.search);
  var forgotten = done && window.indexedDB ? store.remove(done[1]).catch(function () {}) : Promise.resolve();
  // The form's drafts (drafts.js) come when the device holds a record, or at the first thing typed
  // or chosen: a citizen who only looks downloads none of it.
  var form = document.getElementById('submission');
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
      if (records.some(function (r) { return r.key.charAt(0) !== '~'; })) load(null);
    }, function () {});
  }
  var sw = navigator.serviceWorker;
  if (!sw) return;
  sw.register('/sw.js').catch(function () {});
  var lang = document.documentElement.lang;

  function flush() {
    forgotten.then(function () { return sw.ready; }).then(function (reg) {
      if (reg.active) reg.active.postMessage({ type: 'flush', lang: lang });
    });
  }
  window.addEventListener('online', flush);
  flush();

  var shown = {};
  sw.addEventListener('message', function (event) {
    var m = event.data || {};
    if (m.type !== 'announce' || shown[m.key]) return;
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
    if (event.source) event.source.postMessage({ type: 'seen', key: m.key });
  });
})();
