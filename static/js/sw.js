// Miliê's service worker (served as /sw.js: build.rs heads it with VERSION, the hash of everything
// the pages are made of, and SHELL, and puts store.js and outbox.js before it). What it does:
// - keeps the portal's public pages as they are read, and the shell (the stylesheet; the offline
//   page from the second page on), for reading offline; pages are asked of the network first,
//   the copy is for when it fails or is slow;
// - never touches the back office (/agent, /open311), the API, or any answer marked no-store
//   (the tracking answer, the confirmation, every staff page): none of them is ever kept;
// - stands guard over the form's «Soumettre»: a post that cannot reach the server (no network,
//   timeout, 502/503/504) is queued on the device under its form key and sent again when the
//   network returns (Background Sync, else the next visit), exactly once: the server registers
//   a form key once, and answers a repeat with the confirmation of the first;
// - tells the citizen what became of it: the page, and a notification if allowed.
var CACHE = 'milie-' + VERSION;
var OFFLINE = '/hors-ligne';
var PAGES = 'milie-pages-' + VERSION;
var MAX_PAGES = 40;
// A page slower than this is served from the copy, if there is one (the network still refreshes it).
var PATIENCE_MS = 6000;
// A tracking session lasts two hours (the server's cookie); its code is remembered no longer.
var SESSION_MS = 2 * 3600e3;


self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return /^milie-/.test(n) && n !== CACHE && n !== PAGES; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener('fetch', function (event) {
  var req = event.request;
  var url = new URL(req.url);
  if (url.origin !== location.origin || /^\/(agent|open311|api|__)(\/|$)/.test(url.pathname)) return;
  if (req.method === 'POST') {
    if (req.mode !== 'navigate') return;
    if (url.pathname === FORM) event.respondWith(guard(event));
    // Signing out of tracking, or looking up another request, ends what was remembered of it.
    else if (/^\/suivi(\/fermer)?$/.test(url.pathname)) event.waitUntil(remember(null));
    return;
  }
  if (req.method !== 'GET') return;
  if (req.mode === 'navigate') event.respondWith(page(event, url));
  else if (/^\/(assets|img)\/|^\/(favicon\.svg|manifest\.\w+\.webmanifest)$/.test(url.pathname)) event.respondWith(asset(event));
});

// ---- Pages --------------------------------------------------------------------------------

function keepable(res, url) {
  var type = res.headers.get('Content-Type') || '';
  return res.status === 200 && res.type === 'basic' && !res.redirected && /^text\/html/.test(type) &&
    !/no-store/.test(res.headers.get('Cache-Control') || '') &&
    !/^\/suivi\/./.test(url.pathname) && url.pathname !== DONE;
}

function page(event, url) {
  var tracked = /^\/suivi\/(\d{8})$/.exec(url.pathname);
  return (url.pathname === FORM ? refusedPage(url) : Promise.resolve(null)).then(function (back) {
    if (back) return back;
    var network = fetch(event.request).then(function (res) {
      if (keepable(res, url)) {
        var copy = res.clone();
        event.waitUntil(caches.open(PAGES).then(function (cache) {
          return cache.put(url.href, copy).then(function () { return trim(cache); });
        }));
      }
      if (tracked && res.ok) event.waitUntil(remember(tracked[1]));
      return res;
    });
    var copy = copyOf(url);
    var late = new Promise(function (resolve) { setTimeout(resolve, PATIENCE_MS); }).then(function () { return copy; });
    return Promise.race([network, late]).then(function (res) {
      return res || network;
    }).catch(function () {
      return copy.then(function (res) {
        return res || caches.match(OFFLINE, { cacheName: CACHE });
      });
    });
  });
}

function trim(cache) {
  return cache.keys().then(function (keys) {
    return Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES)).map(function (k) { return cache.delete(k); }));
  });
}

// A form key of our own, as the server makes them (16 random bytes, base64url).
function formKey() {
  var b = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode.apply(null, b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// The kept copy of a page. A form's copy gets a form key of its own each time it is served (two
// requests written on the same copy are two requests). Offline, «Suivre» (and the address of a
// request) is the lookup form with the code of the request last looked at in this browser's
// tracking session, if it is still open: the answer itself, personal, is never kept.
function copyOf(url) {
  var track = url.pathname === '/suivi' || /^\/suivi\/\d{8}$/.test(url.pathname);
  var at = track ? '/suivi' : url.href;
  return caches.open(PAGES).then(function (cache) {
    return cache.match(new URL(at, location.origin).href, { ignoreVary: true });
  }).then(function (res) {
    if (res && url.pathname === FORM) {
      return res.text().then(function (html) {
        return new Response(html.replace(/(name="form_key" value=")[\w-]{22}(")/, '$1' + formKey() + '$2'), { status: 200, headers: res.headers });
      });
    }
    if (!res || !track) return res;
    return store.get('~suivi').then(function (t) {
      if (!t || t.until < Date.now() || (url.pathname !== '/suivi' && url.pathname !== '/suivi/' + t.code)) return res;
      return res.text().then(function (html) {
        return new Response(html.replace(/(id="code" name="code" value=")(")/, '$1' + t.code + '$2'),
          { status: 200, headers: res.headers });
      });
    }, function () { return res; });
  });
}

function remember(code) {
  var keep = code ? store.put({ key: '~suivi', code: code, until: Date.now() + SESSION_MS, updated: Date.now() }) : store.remove('~suivi');
  return keep.catch(function () {});
}

// Stylesheets, scripts and images under a hashed name never change: the copy is enough.
function asset(event) {
  return caches.match(event.request, { ignoreVary: true }).then(function (hit) {
    if (hit) return hit;
    return fetch(event.request).then(function (res) {
      if (res.ok && res.type === 'basic') {
        var copy = res.clone();
        event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.put(event.request, copy); }));
      }
      return res;
    });
  });
}

// ---- The form's «Soumettre» ----------------------------------------------------------------

function formUrl(data) {
  return FORM + '?nature=' + encodeURIComponent(data.get('nature') || '') + '&organisme=' + encodeURIComponent(data.get('organisme') || '');
}

function filesOf(data, field) {
  return data.getAll(field || 'pieces').filter(function (f) { return typeof f !== 'string' && (f.size || f.name); });
}

function guard(event) {
  var req = event.request;
  return req.clone().formData().then(function (data) {
    if (data.get('action') !== 'soumettre' || data.get('chercher_lieu') || !/^[\w-]{22}$/.test(data.get('form_key') || '')) return fetch(req);
    var files = filesOf(data);
    var abort = new AbortController();
    var timer = setTimeout(function () { abort.abort(); }, patience(files));
    return fetch(new Request(req, { signal: abort.signal })).then(function (res) {
      clearTimeout(timer);
      if (UNAVAILABLE[res.status]) throw new Error('unavailable');
      return res;
    }).catch(function () {
      clearTimeout(timer);
      return queue(data, files).then(function (queued) {
        // Only a post of the portal's own form is kept: its page saved a draft under its key
        // first (drafts.js). Any other post (another site's form, say) fails as it would have.
        if (!queued) return Response.error();
        event.waitUntil(wake());
        return Response.redirect(formUrl(data) + '#attente=' + queued.key, 303);
      }, function () {
        return Response.redirect(formUrl(data) + '#non-garde', 303);
      });
    });
  }, function () { return fetch(req); });
}

// The post, as it was sent, becomes the record of its form key, in place of the draft its page
// kept (which gives its language and dates). Without that draft, nothing is kept.
function queue(data, files) {
  var key = data.get('form_key');
  var fields = [];
  data.forEach(function (value, name) { if (typeof value === 'string') fields.push([name, value]); });
  return store.update(key, function (draft) {
    if (!draft || draft.state !== 'draft') return;
    var now = Date.now();
    return {
      key: key, state: 'queued', url: formUrl(data), body: data.get('organisme'), bodyName: draft.bodyName || '',
      lang: draft.lang || 'fr', labels: draft.labels || {}, words: draft.words, created: draft.created || now, updated: now,
      // A voice note goes back in its own field: beside it the written message may be empty.
      fields: fields, files: files, voice: filesOf(data, 'vocal'), lease: 0, tries: 0, next: 0
    };
  });
}

function wake() {
  var sync = self.registration.sync;
  return (sync ? sync.register('milie-outbox') : Promise.reject()).catch(function () { return flush(); });
}

self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var href = (event.notification.data || {}).href || '/';
  event.waitUntil(self.clients.matchAll({ type: 'window' }).then(function (list) {
    for (var i = 0; i < list.length; i++) {
      if ('navigate' in list[i]) return list[i].navigate(href).then(function (c) { return c && c.focus(); });
    }
    return self.clients.openWindow(href);
  }));
});

// A page asks when it opens and when its network returns; a network just back often fails the
// first attempt (the link up before the route): tried again after 3, 9 and 27 seconds while the
// device says it is online.
function patiently(left, round) {
  if (!left || round > 3 || !navigator.onLine) return Promise.resolve(left);
  return new Promise(function (resolve) { setTimeout(resolve, 1000 * Math.pow(3, round)); }).then(function () {
    return flush().catch(function () { return 1; });
  }).then(function (still) { return patiently(still, round + 1); });
}

self.addEventListener('sync', function (event) {
  if (event.tag !== 'milie-outbox') return;
  event.waitUntil(flush().then(function (left) {
    // Still waiting: the browser tries again later (and the next visit does too).
    if (left && !event.lastChance) throw new Error(left + ' waiting');
  }));
});

self.addEventListener('message', function (event) {
  var m = event.data || {};
  var source = event.source;
  if (m.type === 'flush') {
    // A page that was under this worker's care when it opened: not the first visit, the offline
    // page may be fetched now (never on the first, whose weight is the citizen's first cost).
    if (m.warm) event.waitUntil(caches.open(CACHE).then(function (cache) {
      return cache.match(OFFLINE).then(function (hit) { return hit || cache.add(OFFLINE); });
    }).catch(function () {}));
    event.waitUntil(flush().catch(function () { return 1; }).then(function (left) {
      return store.all().then(function (records) {
        records.forEach(function (r) {
          var a = r.announce && announcement(r);
          if (a && source) source.postMessage(a);
        });
      }).catch(function () {}).then(function () { return patiently(left, 1); });
    }));
  } else if (m.type === 'seen' && m.key) {
    event.waitUntil(store.update(m.key, function (r) {
      if (!r) return;
      r.announce = false;
      return r;
    }).then(function (r) { return r && r.state === 'sent' ? store.remove(r.key) : null; }).catch(function () {}));
  }
});

// A refused request comes back as the server's own page, with the reasons and what it kept
// (the form's key, the files). Once the page has shown it, its record is a draft again (drafts.js).
function refusedPage(url) {
  var body = url.searchParams.get('organisme');
  return store.all().then(function (records) {
    var r = records.filter(function (x) { return x.state === 'refused' && x.body === body && x.html; })[0];
    if (!r) return null;
    return Promise.resolve().then(function () {
      var headers = new Headers(r.headers || []);
      if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
      headers.set('Content-Type', 'text/html; charset=utf-8');
      headers.set('Cache-Control', 'private, no-store');
      return new Response(r.html, { status: 200, headers: headers });
    });
  }).catch(function () { return null; });
}
