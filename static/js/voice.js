// The voice note recorder: with a microphone and MediaRecorder, «Enregistrer» records up to three
// minutes with a visible timer, then the note plays back and «Recommencer» starts again. The
// recording goes in the form's own file field («vocal»), so the form sends it as it sends a chosen
// file; without all this the file field (accept="audio/*" capture) is the way.
(function () {
  'use strict';
  var box = document.getElementById('vocal-enregistreur');
  var input = document.getElementById('vocal');
  if (!box || !input || !window.MediaRecorder || !navigator.mediaDevices ||
      !navigator.mediaDevices.getUserMedia || !window.DataTransfer) return;
  // The server refuses more than 180 s: stop a little before, whatever the container adds.
  var LIMIT = 178;
  var say = function (name) { return box.getAttribute('data-' + name); };
  var make = function (tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    box.appendChild(el);
    return el;
  };
  var record = make('button', 'secondary', say('record'));
  record.type = 'button';
  var stop = make('button', 'secondary', say('stop'));
  stop.type = 'button';
  stop.hidden = true;
  var timer = make('span', 'timer');
  timer.setAttribute('aria-hidden', 'true');
  var status = make('p', 'hint');
  status.setAttribute('role', 'status');
  var player = make('audio');
  player.controls = true;
  player.hidden = true;
  player.setAttribute('aria-label', say('playback'));
  var again = make('button', 'secondary', say('restart'));
  again.type = 'button';
  again.hidden = true;
  box.hidden = false;

  var clock = function (s) { return Math.floor(s / 60) + ':' + ('0' + (s % 60)).slice(-2); };
  var kinds = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4', 'audio/webm'];
  var type = kinds.filter(function (k) { return MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(k); })[0] || '';
  var extension = function (t) { return /ogg/.test(t) ? 'ogg' : /mp4/.test(t) ? 'm4a' : 'webm'; };
  var recorder, chunks, ticking, seconds, url;

  function reset() {
    if (url) URL.revokeObjectURL(url);
    url = null;
    input.value = '';
    player.hidden = true;
    player.removeAttribute('src');
    again.hidden = true;
    record.hidden = false;
    timer.textContent = '';
    status.textContent = '';
  }

  function finished(stream) {
    clearInterval(ticking);
    stream.getTracks().forEach(function (t) { t.stop(); });
    stop.hidden = true;
    var mime = (recorder.mimeType || type || 'audio/webm').split(';')[0];
    var blob = new Blob(chunks, { type: mime });
    if (!blob.size) { reset(); status.textContent = say('no-mic'); return; }
    var file = new File([blob], 'message-vocal.' + extension(mime), { type: mime });
    var files = new DataTransfer();
    files.items.add(file);
    input.files = files.files;
    url = URL.createObjectURL(blob);
    player.src = url;
    player.hidden = false;
    again.hidden = false;
    status.textContent = say('recorded') + ' (' + clock(seconds) + ')';
  }

  record.addEventListener('click', function () {
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      reset();
      chunks = [];
      seconds = 0;
      recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
      recorder.addEventListener('dataavailable', function (e) { if (e.data && e.data.size) chunks.push(e.data); });
      recorder.addEventListener('stop', function () { finished(stream); });
      recorder.start(1000);
      record.hidden = true;
      stop.hidden = false;
      stop.focus();
      status.textContent = say('recording');
      timer.textContent = clock(0) + ' / ' + clock(180);
      ticking = setInterval(function () {
        seconds += 1;
        timer.textContent = clock(seconds) + ' / ' + clock(180);
        if (seconds >= LIMIT) recorder.stop();
      }, 1000);
    }, function () {
      status.textContent = say('no-mic');
      input.focus();
    });
  });
  stop.addEventListener('click', function () {
    if (recorder && recorder.state !== 'inactive') recorder.stop();
  });
  again.addEventListener('click', function () { reset(); record.focus(); });
  // A file chosen by hand replaces what was recorded.
  input.addEventListener('change', function () {
    if (url) { URL.revokeObjectURL(url); url = null; }
    player.hidden = true;
    again.hidden = true;
    record.hidden = false;
    status.textContent = '';
    timer.textContent = '';
  });
})();
