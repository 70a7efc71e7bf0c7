// The device's copy of the citizen's requests: one IndexedDB store that the pages and the service
// worker share. A record is keyed by its form's key (the key the server registers a request
// under, so a record sent twice is registered once) and is in one state:
//   draft    what is typed and attached, kept as the citizen goes; never leaves the device
//   queued   submitted without a network; the service worker sends it (holding a lease meanwhile)
//   refused  the server answered with reasons (its page is kept, to be shown on the form)
//   sent     registered: its code, until the citizen has seen it
// Records not touched for 30 days are deleted, whatever their state.
var store = (function () {
  'use strict';
  var KEEP = 30 * 864e5;
  var opening;

  function open() {
    opening = opening || new Promise(function (resolve, reject) {
      var req = indexedDB.open('milie', 1);
      req.onupgradeneeded = function () { req.result.createObjectStore('records', { keyPath: 'key' }); };
      req.onsuccess = function () {
        var db = req.result;
        db.onversionchange = db.onclose = function () { db.close(); opening = null; };
        resolve(db);
      };
      req.onerror = req.onblocked = function () { opening = null; reject(req.error || new Error('blocked')); };
    });
    return opening;
  }

  // One transaction: `work(records, result)` issues its requests and calls `result(value)`; the
  // promise settles once the transaction is committed (or refused: storage full, say).
  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction('records', mode);
        var value;
        tx.oncomplete = function () { resolve(value); };
        tx.onerror = tx.onabort = function () { reject(tx.error || new Error('aborted')); };
        work(tx.objectStore('records'), function (v) { value = v; });
      });
    });
  }

  return {
    all: function () {
      return run('readwrite', function (records, result) {
        var now = Date.now();
        records.getAll().onsuccess = function (e) {
          result(e.target.result.filter(function (r) {
            if (now - (r.updated || 0) <= KEEP) return true;
            records.delete(r.key);
            return false;
          }));
        };
      });
    },
    get: function (key) {
      return run('readonly', function (records, result) {
        records.get(key).onsuccess = function (e) { result(e.target.result); };
      });
    },
    put: function (record) {
      return run('readwrite', function (records) { records.put(record); });
    },
    remove: function (key) {
      return run('readwrite', function (records) { records.delete(key); });
    },
    // Reads, changes and writes one record in one transaction: `change(record)` returns the new
    // record, or nothing to leave it as it is. Resolves with the record written, if any.
    update: function (key, change) {
      return run('readwrite', function (records, result) {
        records.get(key).onsuccess = function (e) {
          var next = change(e.target.result);
          if (next) {
            records.put(next);
            result(next);
          }
        };
      });
    }
  };
})();
