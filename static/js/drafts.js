// The citizen's form keeps what is typed and attached on the device (store.js) as the citizen
// goes, and offers it back («Reprendre mon brouillon» / «Recommencer»); nothing of a draft leaves
// the device before «Soumettre». A request the service worker queued (no network) is shown
// waiting, the form filled in and locked, until it leaves. A draft that no longer fits the form
// (a choice no longer offered, a field renamed, its body closed) comes back with what changed
// marked, and the form is not submitted before each marked field has been looked at.
// Without IndexedDB, or with storage full or refused, the page says so and the form is as before.
(function () {
  'use strict';
  var form = document.getElementById('submission');
  if (!form || !window.indexedDB || !window.Promise || !Array.from) return;
  var en = document.documentElement.lang === 'en';
  var T = en ? {
    kept: 'What you type and attach is kept on this device until you submit it; nothing leaves it before.',
    offer: 'You have a draft from {date}.',
    offerFor: 'You have a draft from {date}, to {body}.',
    resume: 'Resume my draft',
    restart: 'Start again',
    restored: 'Your draft is back in the form.',
    noFiles: 'The attachments are not kept on this device (storage full): attach them again if the page closes.',
    refused: 'This device does not keep what you type (storage full or refused): it would be lost if the page closed. The form works as usual.',
    queued: 'No connection: your request will leave automatically as soon as the network is back.',
    queuedNote: 'It is kept on this device; you may close this page. Its code will show here, and reach you by SMS or email.',
    notify: 'Tell me with a notification',
    notifyOn: 'You will be told with a notification.',
    edit: 'Edit my request',
    sending: 'Your request is being sent: wait a moment.',
    notKept: 'Your request did not leave, and this device could not keep it (storage full or refused). Submit it again when the network is back.',
    misfit: 'Your draft no longer quite fits the form',
    gone: 'The choice in your draft («{value}») is no longer offered: choose again.',
    renamed: 'This field has changed since your draft: check it.',
    lost: 'These parts of your draft no longer have a place in the form:',
    otherBody: 'Your draft was to {body}, which no longer takes requests: it will go to the body above.',
    staged: 'Attachments the server already has with this draft: {names}.',
    // What the service worker says of the request (a banner, a notification), kept with the draft.
    sw: {
      sent: 'Your request has been sent. Its code: {code}.',
      sentLink: 'See the confirmation',
      refused: 'Your request to {body} was not sent: corrections are asked for.',
      human: 'Your request to {body} is waiting: confirm that you are not a robot.',
      gone: '{body} no longer takes requests: your draft is waiting for another body.',
      open: 'Open'
    }
  } : {
    kept: 'Ce que vous saisissez et joignez est gardé sur cet appareil jusqu\'à l\'envoi ; rien n\'en part avant.',
    offer: 'Vous avez un brouillon du {date}.',
    offerFor: 'Vous avez un brouillon du {date}, adressé à {body}.',
    resume: 'Reprendre mon brouillon',
    restart: 'Recommencer',
    restored: 'Votre brouillon est repris dans le formulaire.',
    noFiles: 'Les pièces jointes ne sont pas gardées sur cet appareil (stockage plein) : joignez-les de nouveau si la page se ferme.',
    refused: 'Cet appareil ne garde pas votre saisie (stockage plein ou refusé) : elle serait perdue si la page se fermait. Le formulaire fonctionne comme d\'habitude.',
    queued: 'Pas de connexion : votre requête partira automatiquement dès le retour du réseau.',
    queuedNote: 'Elle est gardée sur cet appareil ; vous pouvez fermer cette page. Son code s\'affichera ici et vous parviendra par SMS ou par email.',
    notify: 'Me prévenir par une notification',
    notifyOn: 'Vous serez prévenu par une notification.',
    edit: 'Modifier ma requête',
    sending: 'Votre requête est en cours d\'envoi : patientez un instant.',
    notKept: 'Votre requête n\'est pas partie, et cet appareil n\'a pas pu la garder (stockage plein ou refusé). Soumettez-la de nouveau au retour du réseau.',
    misfit: 'Votre brouillon ne correspond plus tout à fait au formulaire',
    gone: 'Le choix de votre brouillon («{value}») n\'est plus proposé : choisissez de nouveau.',
    renamed: 'Ce champ a changé depuis votre brouillon : vérifiez-le.',
    lost: 'Ces éléments de votre brouillon n\'ont plus de place dans le formulaire :',
    otherBody: 'Votre brouillon était adressé à {body}, qui ne reçoit plus de requêtes : il sera adressé à l\'organisme ci-dessus.',
    staged: 'Pièces jointes déjà reçues par le serveur avec ce brouillon : {names}.',
    sw: {
      sent: 'Votre requête est partie. Son code : {code}.',
      sentLink: 'Voir la confirmation',
      refused: 'Votre requête à {body} n\'est pas partie : des corrections sont demandées.',
      human: 'Votre requête à {body} attend : confirmez que vous n\'êtes pas un robot.',
      gone: '{body} ne reçoit plus de requêtes : votre brouillon vous attend pour un autre organisme.',
      open: 'Ouvrir'
    }
  };
  // Fields the form carries for the server, never part of what a citizen typed.
  var SKIP = { csrf: 1, form_key: 1, organisme: 1, action: 1, retirer: 1, lieu_recherche: 1, chercher_lieu: 1, 'cf-turnstile-response': 1 };
  var E = form.elements;
  var key = E.form_key;
  var body = E.organisme.value;
  var toBody = document.querySelector('.to-body');
  var bodyName = toBody && toBody.querySelector('strong') ? toBody.querySelector('strong').textContent : '';
  var sw = navigator.serviceWorker;
  var saving = false;
  var timer = null;
  var marks = [];
  var resumed = null;
  try {
    resumed = sessionStorage.getItem('milie-reprise');
    sessionStorage.removeItem('milie-reprise');
  } catch (e) { /* no session storage: a closed body is found out by the server */ }

  // The server's answer to a post of this form (errors, a notice, files it keeps) keeps its key;
  // a fresh form (perhaps the service worker's copy, served offline) gets one of its own.
  var answered = document.getElementById('error-summary') || form.querySelector('[name=retirer]') || document.querySelector('main > .notice[role=alert]');
  if (!answered) key.value = token();

  var panel = el('div', { id: 'brouillon' });
  var status = el('p', { id: 'brouillon-etat', role: 'status' });
  form.parentNode.insertBefore(panel, form);
  form.parentNode.insertBefore(status, form);

  function token() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return btoa(String.fromCharCode.apply(null, b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (a) { e.setAttribute(a, attrs[a]); });
    if (text) e.textContent = text;
    return e;
  }

  function button(text, primary, click) {
    var b = el('button', { type: 'button', class: primary ? 'primary' : 'secondary' }, text);
    b.addEventListener('click', click);
    return b;
  }

  function say(text, strong) {
    status.className = strong ? 'notice' : 'hint';
    status.textContent = text;
  }

  function clean(s) {
    return (s || '').replace(/\*/g, '').replace(/\s+/g, ' ').trim();
  }

  function when(ms) {
    return new Date(ms).toLocaleString(en ? 'en-GB' : 'fr-FR', { day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
  }

  function formUrl() {
    return form.getAttribute('action') + '?nature=' + encodeURIComponent(E.nature.value) + '&organisme=' + encodeURIComponent(body);
  }

  function controls() {
    return Array.from(E).filter(function (c) { return c.name && !SKIP[c.name] && c.type !== 'submit' && c.type !== 'button'; });
  }

  // ---- Keeping the draft --------------------------------------------------------------------

  function snapshot() {
    var s = { fields: [], labels: {}, files: [] };
    controls().forEach(function (c) {
      if (c.type === 'file') { s.files = Array.from(c.files); return; }
      if ((c.type === 'checkbox' || c.type === 'radio') && !c.checked) return;
      s.fields.push([c.name, c.value]);
      if (c.labels && c.labels[0]) s.labels[c.name] = clean(c.labels[0].textContent);
      if (c.options && c.selectedIndex >= 0) s.labels[c.name + '='] = c.options[c.selectedIndex].textContent;
    });
    return s;
  }

  function save() {
    clearTimeout(timer);
    timer = null;
    if (!saving) return;
    var s = snapshot();
    var k = key.value;
    var now = Date.now();
    var staged = Array.from(form.querySelectorAll('.files li > span')).map(function (x) { return x.textContent; });
    var rec = { key: k, state: 'draft', url: formUrl(), body: body, bodyName: bodyName, lang: en ? 'en' : 'fr', updated: now,
      fields: s.fields, labels: s.labels, files: s.files, staged: staged, words: T.sw };
    function write() {
      return store.update(k, function (old) {
        if (old && old.state !== 'draft') return;
        rec.created = (old && old.created) || now;
        return rec;
      });
    }
    write().catch(function () {
      if (!rec.files.length) throw new Error('refused');
      rec.files = [];
      return write().then(function () { say(T.noFiles, true); });
    }).catch(function () { stop(); });
  }

  function later() {
    if (!saving) return;
    clearTimeout(timer);
    timer = setTimeout(save, 400);
  }

  function stop() {
    saving = false;
    say(T.refused, true);
  }

  form.addEventListener('input', later);
  form.addEventListener('change', function (e) {
    if (e.target.type === 'file') save();
    else later();
  });
  window.addEventListener('pagehide', function () { if (timer) save(); });

  // ---- Putting a record back in the form ----------------------------------------------------

  function option(select, value) {
    return Array.from(select.options).some(function (o) { return o.value === value; });
  }

  function byLabel(label) {
    return label ? controls().filter(function (c) { return c.labels && c.labels[0] && clean(c.labels[0].textContent) === label; })[0] : null;
  }

  // A town or village found by typing (never listed whole) comes back as the draft named it.
  function addPlace(select, value, text) {
    var groups = select.querySelectorAll('optgroup');
    var group = groups.length && groups[groups.length - 1].label === select.getAttribute('data-localities') ? groups[groups.length - 1] : null;
    if (!group) {
      group = el('optgroup', { label: select.getAttribute('data-localities') || '' });
      select.appendChild(group);
    }
    group.appendChild(el('option', { value: value }, text));
  }

  // Fills the form from `rec`; with `check`, marks what no longer fits. Returns what found no place.
  function fill(rec, check) {
    var labels = rec.labels || {};
    var lost = [];
    controls().forEach(function (c) { if (c.type === 'checkbox') c.checked = false; });
    rec.fields.forEach(function (f) {
      var name = f[0];
      var value = f[1];
      if (SKIP[name]) return;
      var c = E.namedItem(name);
      var renamed = false;
      if (c && !c.tagName) c = c[0];
      if (!c) {
        c = byLabel(labels[name]);
        renamed = !!c;
      }
      if (!c) {
        if (value) lost.push((labels[name] || name) + ' : ' + (labels[name + '='] || value));
        return;
      }
      if (c.type === 'checkbox') {
        c.checked = true;
      } else if (c.tagName === 'SELECT') {
        if (!option(c, value) && name === 'localite' && /^\d+$/.test(value) && labels[name + '=']) addPlace(c, value, labels[name + '=']);
        if (!option(c, value)) {
          if (check && value) mark(c, T.gone.replace('{value}', labels[name + '='] || value));
          return;
        }
        c.value = value;
      } else {
        c.value = value;
      }
      c.dispatchEvent(new Event('input', { bubbles: true }));
      c.dispatchEvent(new Event('change', { bubbles: true }));
      if (renamed && check) mark(c, T.renamed);
    });
    var files = rec.files || [];
    if (files.length) {
      try {
        var dt = new DataTransfer();
        files.forEach(function (f) { dt.items.add(f); });
        E.pieces.files = dt.files;
      } catch (e) {
        lost.push(files.map(function (f) { return f.name; }).join(', '));
      }
    }
    return lost;
  }

  // ---- Marks: what of a draft no longer fits ------------------------------------------------

  function mark(target, message) {
    var id = (target.id || 'organisme-choisi') + '-brouillon';
    var note = el('p', { class: 'field-error', id: id }, message);
    var field = target.closest('.field');
    var m = { target: target, note: note, field: field, message: message, blocks: !!target.name };
    if (target.name) {
      target.parentNode.insertBefore(note, target);
      target.setAttribute('aria-invalid', 'true');
      target.setAttribute('aria-describedby', ((target.getAttribute('aria-describedby') || '') + ' ' + id).trim());
      if (field) field.classList.add('invalid');
      var settle = function () {
        target.removeEventListener('change', settle);
        target.removeEventListener('input', settle);
        unmark(m);
      };
      target.addEventListener('change', settle);
      target.addEventListener('input', settle);
    } else {
      target.id = target.id || 'organisme-choisi';
      target.setAttribute('tabindex', '-1');
      target.parentNode.insertBefore(note, target.nextSibling);
    }
    marks.push(m);
  }

  function unmark(m) {
    marks = marks.filter(function (x) { return x !== m; });
    m.note.remove();
    m.target.removeAttribute('aria-invalid');
    var rest = (m.target.getAttribute('aria-describedby') || '').split(' ').filter(function (i) { return i && i !== m.note.id; }).join(' ');
    if (rest) m.target.setAttribute('aria-describedby', rest);
    else m.target.removeAttribute('aria-describedby');
    if (m.field && !m.field.querySelector('.field-error')) m.field.classList.remove('invalid');
    var item = document.querySelector('#brouillon-resume a[href="#' + m.target.id + '"]');
    if (item) item.parentNode.remove();
    var summary = document.getElementById('brouillon-resume');
    if (summary && !summary.querySelector('li')) summary.remove();
  }

  function summarise(lost) {
    if (!marks.length && !lost.length) return;
    var box = el('div', { class: 'error-summary', role: 'alert', tabindex: '-1', id: 'brouillon-resume', 'aria-labelledby': 'brouillon-resume-titre' });
    box.appendChild(el('h2', { id: 'brouillon-resume-titre' }, T.misfit));
    var list = el('ul');
    marks.forEach(function (m) {
      var li = el('li');
      li.appendChild(el('a', { href: '#' + m.target.id }, (m.target.labels && m.target.labels[0] ? clean(m.target.labels[0].textContent) + ' : ' : '') + m.message));
      list.appendChild(li);
    });
    lost.forEach(function (text) { list.appendChild(el('li', {}, T.lost + ' ' + text)); });
    box.appendChild(list);
    panel.appendChild(box);
    box.focus();
  }

  // A draft with marks left is not submitted: the summary says what to look at. Otherwise the
  // draft is written at once, before the post leaves (the service worker keeps a post that
  // cannot reach the server only in place of its page's draft).
  document.addEventListener('submit', function (e) {
    if (e.target !== form) return;
    if (!marks.some(function (m) { return m.blocks; })) return save();
    e.preventDefault();
    e.stopPropagation();
    var summary = document.getElementById('brouillon-resume');
    if (summary) summary.focus();
  }, true);

  // ---- Offering a draft back ----------------------------------------------------------------

  function clear() {
    panel.textContent = '';
    panel.className = '';
    panel.removeAttribute('role');
  }

  function restore(d, elsewhere) {
    var previous = key.value;
    clear();
    key.value = d.key;
    if (previous !== d.key) store.remove(previous).catch(function () {});
    var lost = fill(d, true);
    if (elsewhere) mark(toBody, T.otherBody.replace('{body}', d.bodyName));
    if (d.staged && d.staged.length) say(T.staged.replace('{names}', d.staged.join(', ')));
    else say(T.restored);
    summarise(lost);
    saving = true;
    save();
  }

  function offer(d) {
    var elsewhere = d.body !== body;
    var closed = elsewhere && (d.gone || resumed === d.key);
    panel.className = 'notice';
    var text = (elsewhere ? T.offerFor.replace('{body}', d.bodyName) : T.offer).replace('{date}', when(d.updated));
    panel.appendChild(el('p', {}, text));
    var p = el('p');
    p.appendChild(button(T.resume, true, function () {
      if (elsewhere && !closed) {
        try { sessionStorage.setItem('milie-reprise', d.key); } catch (e) { /* the server tells */ }
        location.assign(d.url + '#brouillon');
      } else {
        restore(d, elsewhere);
      }
    }));
    p.appendChild(document.createTextNode(' '));
    p.appendChild(button(T.restart, false, function () {
      store.remove(d.key).catch(function () {});
      clear();
      E.message.focus();
    }));
    panel.appendChild(p);
  }

  // ---- A request waiting for the network ----------------------------------------------------

  function lock(on) {
    Array.from(E).forEach(function (c) { if (c.type !== 'hidden') c.disabled = on; });
  }

  // app.js takes the page to the request's outcome when the service worker reports it.
  function showWaiting(rec) {
    form.setAttribute('data-waiting', rec.key);
    key.value = rec.key;
    fill(rec, false);
    lock(true);
    panel.className = 'notice';
    panel.setAttribute('role', 'alert');
    panel.appendChild(el('p')).appendChild(el('strong', {}, T.queued));
    panel.appendChild(el('p', {}, T.queuedNote));
    var p = el('p');
    if (sw && window.Notification && Notification.permission === 'default') {
      p.appendChild(button(T.notify, true, function (e) {
        var b = e.target;
        Notification.requestPermission().then(function (answer) {
          if (answer === 'granted') say(T.notifyOn);
          b.remove();
        });
      }));
      p.appendChild(document.createTextNode(' '));
    }
    p.appendChild(button(T.edit, false, function () {
      store.update(rec.key, function (r) {
        if (!r || r.state !== 'queued' || r.lease > Date.now()) return;
        r.state = 'draft';
        r.next = 0;
        return r;
      }).then(function (r) {
        if (!r) return say(T.sending);
        form.setAttribute('data-waiting', '-');
        clear();
        lock(false);
        saving = true;
        E.message.focus();
      });
    }));
    panel.appendChild(p);
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
    // The browser wakes the service worker when the network returns, page open or not.
    if (sw) sw.ready.then(function (reg) { return reg.sync && reg.sync.register('milie-outbox'); }).catch(function () {});
  }

  store.all().then(function (all) {
    var records = all.filter(function (r) { return r.key.charAt(0) !== '~'; });
    // The server's refusal of a request that waited, shown here (the service worker serves it):
    // its record is this page's draft again.
    var refused = records.filter(function (r) { return r.state === 'refused' && r.key === key.value; })[0];
    if (refused && answered) {
      refused.state = 'draft';
      refused.html = null;
      refused.announce = false;
      store.put(refused).catch(function () {});
    }
    var queued = records.filter(function (r) { return r.state === 'queued' && r.body === body; })[0];
    if (queued && !answered) return showWaiting(queued);
    saving = true;
    say(T.kept);
    // Loaded by what the citizen typed (app.js): that is kept too.
    if (form.hasAttribute('data-touched')) later();
    if (location.hash === '#non-garde') say(T.notKept, true);
    if (answered) return;
    var drafts = records.filter(function (r) { return r.state === 'draft' && r.key !== key.value; })
      .sort(function (a, b) { return b.updated - a.updated; });
    var d = drafts.filter(function (r) { return r.key === resumed; })[0] || drafts.filter(function (r) { return r.body === body; })[0] || drafts[0];
    if (!d) return;
    if (location.hash === '#brouillon' && d.body === body) restore(d, false);
    else offer(d);
  }, stop);
})();
