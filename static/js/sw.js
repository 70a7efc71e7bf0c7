// Miliê's service worker (served as /sw.js: build.rs heads it with VERSION, the hash of everything
// the pages are made of, and SHELL, and puts store.js before it). What it does:
// - keeps the portal's public pages as they are read, and the shell (stylesheet, offline page),
//   for reading offline; pages are asked of the network first, the copy is for when it fails;
// - never touches the back office (/agent, /open311), the API, or any answer marked no-store
//   (the tracking answer, the confirmation, every staff page): none of them is ever kept;
// - stands guard over the form's «Soumettre»: a post that cannot reach the server (no network,
//   timeout, 502/503/504) is queued on the device under its form key and sent again when the
//   network returns (Background Sync, else the next visit), exactly once: the server registers
//   a form key once, and answers a repeat with the confirmation of the first;
// - tells the citizen what became of it: the page, and a notification if allowed.
'use strict';

var CACHE = 'milie-' + VERSION;
var PAGES = 'milie-pages-' + VERSION;
var MAX_PAGES = 40;
// A page slower than this is served from the copy, if there is one (the network still refreshes it).
var PATIENCE_MS = 6000;
// A tracking session lasts two hours (the server's cookie); its code is remembered no longer.
var SESSION_MS = 2 * 3600e3;
var FORM = '/requete/nouvelle';
var DONE = '/requete/enregistree';

var WORDS = {
  fr: {
    sent: 'Votre requête est partie. Son code : {code}.',
    sentLink: 'Voir la confirmation',
    refused: 'Votre requête à {body} n\'est pas partie : des corrections sont demandées.',
    human: 'Votre requête à {body} attend : confirmez que vous n\'êtes pas un robot.',
    gone: '{body} ne reçoit plus de requêtes : votre brouillon vous attend pour un autre organisme.',
    open: 'Ouvrir'
  },
  en: {
    sent: 'Your request has been sent. Its code: {code}.',
    sentLink: 'See the confirmation',
    refused: 'Your request to {body} was not sent: corrections are asked for.',
    human: 'Your request to {body} is waiting: confirm that you are not a robot.',
    gone: '{body} no longer takes requests: your draft is waiting for another body.',
    open: 'Open'
  }
};

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
        return res || caches.match('/hors-ligne', { cacheName: CACHE });
      });
    });
  });
}

function trim(cache) {
  return cache.keys().then(function (keys) {
    return Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES)).map(function (k) { return cache.delete(k); }));
  });
}

// The kept copy of a page. Offline, «Suivre» (and the address of a request) is the lookup form
// with the code of the request last looked at in this browser's tracking session, if it is still
// open: the answer itself, personal, is never kept.
function copyOf(url) {
  var track = url.pathname === '/suivi' || /^\/suivi\/\d{8}$/.test(url.pathname);
  var at = track ? '/suivi' : url.href;
  return caches.open(PAGES).then(function (cache) {
    return cache.match(new URL(at, location.origin).href, { ignoreVary: true });
  }).then(function (res) {
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

var UNAVAILABLE = { 502: 1, 503: 1, 504: 1 };
// What a refused request's page is shown with again (its own policy: Turnstile's, say).
var KEPT_HEADERS = ['Content-Security-Policy', 'Permissions-Policy', 'Referrer-Policy', 'X-Frame-Options',
  'X-Content-Type-Options', 'Cross-Origin-Opener-Policy'];

function formUrl(data) {
  return FORM + '?nature=' + encodeURIComponent(data.get('nature') || '') + '&organisme=' + encodeURIComponent(data.get('organisme') || '');
}

function bytes(files) {
  return files.reduce(function (n, f) { return n + f.size; }, 0);
}

// How long an upload may take before it counts as lost: half a minute, and a second for every
// 4 KB (a slow 2G link), at most ten minutes.
function patience(files) {
  return Math.min(600e3, 30e3 + bytes(files) / 4096 * 1e3);
}

function filesOf(data) {
  return data.getAll('pieces').filter(function (f) { return typeof f !== 'string' && (f.size || f.name); });
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
      lang: draft.lang || 'fr', labels: draft.labels || {}, created: draft.created || now, updated: now,
      fields: fields, files: files, lease: 0, tries: 0, next: 0
    };
  });
}

function wake() {
  var sync = self.registration.sync;
  return (sync ? sync.register('milie-outbox') : Promise.reject()).catch(function () { return flush(); });
}

// ---- Sending what waits --------------------------------------------------------------------

var flushing = null;
var again = null;

// Sends every queued record whose turn has come; resolves with how many are still waiting. Asked
// while a round is under way, it runs another once that one ends (a record queued meanwhile).
function flush() {
  if (flushing) {
    again = again || flushing.catch(function () {}).then(function () {
      again = null;
      return flush();
    });
    return again;
  }
  flushing = store.all().then(function (records) {
    var waiting = records.filter(function (r) { return r.state === 'queued'; });
    return waiting.reduce(function (chain, r) {
      return chain.then(function (left) {
        if (r.next > Date.now()) return left + 1;
        return claim(r.key).then(function (mine) {
          if (!mine) return left + 1;
          return send(mine).then(function (outcome) { return settle(mine, outcome); }).then(function (state) {
            return left + (state === 'queued' ? 1 : 0);
          });
        });
      });
    }, Promise.resolve(0));
  }).then(function (left) {
    flushing = null;
    return left;
  }, function (e) {
    flushing = null;
    throw e;
  });
  return flushing;
}

// The lease: one sender at a time for a record, whichever page or worker asks.
function claim(key) {
  var now = Date.now();
  return store.update(key, function (r) {
    if (!r || r.state !== 'queued' || r.lease > now) return;
    r.lease = now + patience(r.files) + 60e3;
    return r;
  });
}

function post(r, csrf) {
  var body = new FormData();
  r.fields.forEach(function (f) {
    if (f[0] !== 'action') body.append(f[0], f[0] === 'csrf' && csrf ? csrf : f[1]);
  });
  body.append('action', 'soumettre');
  r.files.forEach(function (f) { body.append('pieces', f, f.name); });
  var abort = new AbortController();
  var timer = setTimeout(function () { abort.abort(); }, patience(r.files));
  return fetch(FORM, { method: 'POST', body: body, credentials: 'same-origin', signal: abort.signal }).then(function (res) {
    return res.text().then(function (html) {
      clearTimeout(timer);
      return { res: res, html: html };
    });
  }, function (e) {
    clearTimeout(timer);
    throw e;
  });
}

// What the server made of a record: sent (with its code), refused (its page, with the reasons),
// its body gone, or still to send (no network, server unavailable, over the hourly allowance).
function send(r) {
  return post(r).then(function (a) {
    // This browser's form token has changed since (a new browser session): the server's answer
    // carries the new one (nothing was stored), and the post goes again with it, once.
    var token = a.res.status === 403 && /name="csrf" value="([\w-]{22})"/.exec(a.html);
    return token ? post(r, token[1]) : a;
  }).then(function (a) {
    var res = a.res;
    var url = new URL(res.url);
    if (res.ok && url.pathname === DONE) {
      var code = /id="request-code">(\d{8})</.exec(a.html);
      return { state: 'sent', code: code ? code[1] : '', href: url.pathname + url.search };
    }
    if (res.redirected && url.pathname === FORM) return { state: 'draft', gone: true, href: url.pathname + url.search };
    if (UNAVAILABLE[res.status] || res.status === 429) {
      var wait = parseInt(res.headers.get('Retry-After'), 10);
      return { state: 'queued', server: true, wait: wait > 0 ? wait * 1e3 : 0 };
    }
    var fields = (/class="error-summary"[\s\S]*?<\/ul>/.exec(a.html) || [''])[0].match(/href="#[\w-]+"/g) || [];
    return {
      state: 'refused', html: a.html, status: res.status,
      human: fields.length > 0 && fields.every(function (f) { return f === 'href="#cf-turnstile-response"'; }),
      headers: KEPT_HEADERS.map(function (h) { return [h, res.headers.get(h)]; }).filter(function (h) { return h[1]; })
    };
  }).catch(function () { return { state: 'queued' }; });
}

function settle(r, o) {
  var now = Date.now();
  return store.update(r.key, function (cur) {
    if (!cur) return;
    cur.lease = 0;
    cur.updated = now;
    cur.state = o.state;
    if (o.state === 'queued') {
      // No network: tried again as soon as it returns. The server unavailable, or asking to
      // wait (its hourly allowance): not before it said, or a back-off of its own.
      cur.tries = (cur.tries || 0) + 1;
      cur.next = o.server ? now + (o.wait || Math.min(3600e3, 15e3 * Math.pow(2, cur.tries))) : 0;
      return cur;
    }
    cur.announce = true;
    if (o.state === 'sent') {
      // Nothing of it is kept but its code, until the citizen has seen it.
      return { key: cur.key, state: 'sent', code: o.code, href: o.href, lang: cur.lang, bodyName: cur.bodyName, updated: now, announce: true };
    }
    if (o.state === 'draft') {
      cur.gone = true;
      cur.goneUrl = o.href;
    } else {
      // The server has the files now (kept with the form's key): its page lists them.
      cur.files = [];
      cur.html = o.html;
      cur.human = o.human;
      cur.headers = o.headers;
    }
    return cur;
  }).then(function (saved) {
    if (!saved) return o.state;
    return tell(saved).then(function () { return o.state; });
  });
}

function words(r, lang) {
  return WORDS[(lang || r.lang) === 'en' ? 'en' : 'fr'];
}

// The citizen's news of a record: text, link and whether it is good news.
function news(r, lang) {
  var w = words(r, lang);
  if (r.state === 'sent') return { text: w.sent.replace('{code}', r.code), link: w.sentLink, href: r.href, ok: true };
  if (r.state === 'refused') return { text: (r.human ? w.human : w.refused).replace('{body}', r.bodyName), link: w.open, href: r.url };
  if (r.state === 'draft' && r.gone) return { text: w.gone.replace('{body}', r.bodyName), link: w.open, href: r.goneUrl };
}

function announcement(r, lang) {
  var n = news(r, lang);
  return n && { type: 'announce', key: r.key, state: r.state, text: n.text, link: n.link, href: n.href, ok: n.ok };
}

// The pages open are told (the form waiting for it moves on); a notification if allowed.
function tell(r) {
  var n = news(r);
  return self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (list) {
    list.forEach(function (c) { if (n) c.postMessage(announcement(r)); });
    if (!n || !self.Notification || Notification.permission !== 'granted') return;
    return self.registration.showNotification('Miliê', {
      body: n.text, tag: r.key, icon: '/img/icon-192.png', lang: r.lang, data: { href: n.href }
    });
  }).catch(function () {});
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
    event.waitUntil(flush().catch(function () { return 1; }).then(function (left) {
      return store.all().then(function (records) {
        records.forEach(function (r) {
          var a = r.announce && announcement(r, m.lang);
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
