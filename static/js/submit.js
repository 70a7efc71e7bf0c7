// Progressive enhancement of the submission form; the form works fully without it.
// With it: the guide's confirmation dialog instead of the review page, a live character
// counter, a filter for the long list of places (towns and villages asked of the server as one
// types), and the abroad fields only when relevant.
(function () {
  'use strict';
  var form = document.getElementById('submission');
  if (!form) return;

  // «Etes-vous sûr de vouloir soumettre ces informations ?» OK submits directly; Annuler stays.
  form.addEventListener('submit', function (event) {
    var action = form.elements.action;
    if (action.value !== 'verifier') return;
    if (window.confirm(form.getAttribute('data-confirm'))) {
      action.value = 'soumettre';
      form.querySelectorAll('button[type=submit]').forEach(function (b) { b.disabled = true; });
    } else {
      event.preventDefault();
    }
  });
  // Coming back with the browser's back button must not reuse the «soumettre» choice.
  window.addEventListener('pageshow', function () {
    form.elements.action.value = 'verifier';
    form.querySelectorAll('button[type=submit]').forEach(function (b) { b.disabled = false; });
  });

  var message = form.elements.message;
  var counter = document.getElementById('message-count');
  var max = parseInt(message.getAttribute('maxlength'), 10);
  var timer;
  function count() {
    counter.textContent = (max - message.value.length) + ' ' + form.getAttribute('data-chars-left');
  }
  message.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(count, 300); });
  count();

  var place = form.elements.localite;
  var abroad = document.getElementById('abroad');
  function toggleAbroad() { abroad.hidden = place.value !== 'etranger'; }
  place.addEventListener('change', toggleAbroad);
  toggleAbroad();

  // The search box over the place list: hides the options (and groups) that do not match, and
  // asks the server for towns and villages as one types (without JavaScript, «Chercher» posts the
  // form and the server adds them).
  var fold = function (s) { return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase(); };
  var filter = document.getElementById('localite-filtre');
  var findButton = document.getElementById('localite-chercher');
  if (findButton) findButton.remove();
  // Towns and villages are thousands: never in the page, asked of the server as one types.
  var found = document.getElementById('localite-trouvees');
  if (!found) {
    found = document.createElement('p');
    found.id = 'localite-trouvees';
    found.className = 'hint';
    found.setAttribute('role', 'status');
    place.parentNode.insertBefore(found, place);
  }
  var groups = place.querySelectorAll('optgroup');
  var localities = groups.length && groups[groups.length - 1].label === place.getAttribute('data-localities') ? groups[groups.length - 1] : null;
  function addLocality(p) {
    if (!localities) {
      localities = document.createElement('optgroup');
      localities.label = place.getAttribute('data-localities');
      place.appendChild(localities);
    }
    var o = document.createElement('option');
    o.value = String(p.id);
    o.textContent = p.name + ' (' + (p.sous_prefecture || p.region) + ')';
    localities.appendChild(o);
    return o;
  }
  var asked = 0;
  var pending;
  function findLocalities(q) {
    clearTimeout(pending);
    if (!window.fetch || q.length < 2) { found.textContent = ''; return; }
    pending = setTimeout(function () {
      var mine = ++asked;
      fetch('/api/v1/localites?type=localite&limite=50&q=' + encodeURIComponent(q)).then(function (r) { return r.json(); }).then(function (a) {
        if (mine !== asked) return;
        // The chosen one stays; the others give way to this search's.
        if (localities) {
          Array.prototype.slice.call(localities.children).forEach(function (o) { if (!o.selected) o.remove(); });
        }
        a.localites.forEach(function (p) { if (!place.querySelector('option[value="' + p.id + '"]')) addLocality(p); });
        found.textContent = a.localites.length ? place.getAttribute('data-localities-found').replace('{n}', a.localites.length) : '';
      }).catch(function () { found.textContent = ''; });
    }, 300);
  }
  // Enter (a phone keyboard's «Search» key) searches at once; it must not submit the request.
  filter.addEventListener('keydown', function (event) {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    findLocalities(filter.value.trim());
  });
  filter.addEventListener('input', function () {
    var q = fold(filter.value.trim());
    findLocalities(filter.value.trim());
    place.querySelectorAll('optgroup').forEach(function (group) {
      var groupMatches = fold(group.label).indexOf(q) !== -1;
      var any = false;
      group.querySelectorAll('option').forEach(function (o) {
        var show = !q || groupMatches || fold(o.textContent).indexOf(q) !== -1;
        o.hidden = !show;
        any = any || show;
      });
      group.hidden = !any;
    });
  });

  // «Utiliser ma position»: opt-in; the server names the nearest place (the list stays server-side).
  if (navigator.geolocation && window.fetch && place.getAttribute('data-locate')) {
    var locate = document.createElement('button');
    locate.type = 'button';
    locate.className = 'secondary locate';
    locate.textContent = place.getAttribute('data-locate');
    var said = document.createElement('p');
    said.id = 'localite-position';
    said.className = 'hint';
    said.setAttribute('role', 'status');
    place.parentNode.insertBefore(locate, place);
    place.parentNode.insertBefore(said, place.nextSibling);
    var failed = function () { said.textContent = place.getAttribute('data-locate-failed'); };
    locate.addEventListener('click', function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        var q = '?lat=' + pos.coords.latitude.toFixed(5) + '&lon=' + pos.coords.longitude.toFixed(5);
        fetch('/api/v1/localites/proche' + q, { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (a) {
          if (a.localite) {
            filter.value = '';
            filter.dispatchEvent(new Event('input'));
            if (!place.querySelector('option[value="' + a.localite.id + '"]')) addLocality(a.localite);
            place.value = String(a.localite.id);
            said.textContent = place.getAttribute('data-locate-found').replace('{place}', a.localite.name);
          } else if (a.etranger) {
            place.value = 'etranger';
            said.textContent = place.getAttribute('data-locate-abroad');
          } else { failed(); }
          toggleAbroad();
        }).catch(failed);
      }, failed, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
    });
  }
})();
