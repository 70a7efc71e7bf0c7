// Sending what waits on the device (store.js), for the service worker (sw.js; build.rs joins
// store.js, this file and sw.js into /sw.js): one sender at a time for a record (a lease in the
// store), the form's own post with the record's form key (the server registers a key once and
// answers a repeat with the first one's confirmation), and what became of it told to the pages
// open and, if allowed, in a notification.
var FORM = '/requete/nouvelle';
var DONE = '/requete/enregistree';
var UNAVAILABLE = { 502: 1, 503: 1, 504: 1 };
// What a refused request's page is shown with again (its own policy: Turnstile's, say).
var KEPT_HEADERS = ['Content-Security-Policy', 'Permissions-Policy', 'Referrer-Policy', 'X-Frame-Options',
  'X-Content-Type-Options', 'Cross-Origin-Opener-Policy'];

function bytes(files) {
  return files.reduce(function (n, f) { return n + f.size; }, 0);
}

// How long an upload may take before it counts as lost: half a minute, and a second for every
// 4 KB (a slow 2G link), at most ten minutes.
function patience(files) {
  return Math.min(600e3, 30e3 + bytes(files) / 4096 * 1e3);
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
    r.lease = now + patience(r.files.concat(r.voice || [])) + 60e3;
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
  (r.voice || []).forEach(function (f) { body.append('vocal', f, f.name); });
  var abort = new AbortController();
  var timer = setTimeout(function () { abort.abort(); }, patience(r.files.concat(r.voice || [])));
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
      return { key: cur.key, state: 'sent', code: o.code, href: o.href, lang: cur.lang, bodyName: cur.bodyName, words: cur.words, updated: now, announce: true };
    }
    if (o.state === 'draft') {
      cur.gone = true;
      cur.goneUrl = o.href;
    } else {
      // The server has the files now (kept with the form's key): its page lists them.
      cur.files = [];
      cur.voice = [];
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

// The citizen's news of a record, in the words its page gave it (drafts.js keeps them with the
// draft, in the page's language): text, link, and whether it is good news. Without words, only
// where it leads.
function announcement(r) {
  var w = r.words || {};
  var say = function (text) { return text && text.replace('{code}', r.code).replace('{body}', r.bodyName); };
  var a = { type: 'announce', key: r.key, state: r.state, link: w.open };
  if (r.state === 'sent') {
    a.text = say(w.sent);
    a.link = w.sentLink;
    a.href = r.href;
    a.ok = true;
  } else if (r.state === 'refused') {
    a.text = say(r.human ? w.human : w.refused);
    a.href = r.url;
  } else if (r.state === 'draft' && r.gone) {
    a.text = say(w.gone);
    a.href = r.goneUrl;
  } else {
    return null;
  }
  return a;
}

// The pages open are told (the form waiting for it moves on); a notification if allowed.
function tell(r) {
  var a = announcement(r);
  if (!a) return Promise.resolve();
  return self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (list) {
    list.forEach(function (c) { c.postMessage(a); });
    if (!a.text || !self.Notification || Notification.permission !== 'granted') return;
    return self.registration.showNotification('Miliê', {
      body: a.text, tag: r.key, icon: '/img/icon-192.png', lang: r.lang, data: { href: a.href }
    });
  }).catch(function () {});
}

