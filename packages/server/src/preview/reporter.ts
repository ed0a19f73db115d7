/** Paths the proxy answers itself on every preview origin. */
export const REPORTER_PATH = '/__aura/preview.js';
export const ERRORS_PATH = '/__aura/errors';

/**
 * The script injected into every HTML page of a preview: forwards console.error, uncaught errors,
 * unhandled rejections and failed requests (fetch/XHR with status >= 400 or a network error, and
 * resources that fail to load) as JSON POSTs to /__aura/errors on the same origin. Rate-limited
 * (20 reports per 10 s, the same report at most once per 2 s) and size-capped in the page; the
 * server caps and rate-limits again. Plain ES2017, no dependencies, idempotent.
 */
export const reporterScript = `(function () {
  'use strict';
  if (window.__auraPreview) return;
  window.__auraPreview = { reported: 0 };
  var ENDPOINT = ${JSON.stringify(ERRORS_PATH)};
  var MAX_MESSAGE = 2000, MAX_STACK = 4000, MAX_URL = 2000;
  var budget = 20, windowStart = Date.now(), recent = {};
  var nativeFetch = window.fetch ? window.fetch.bind(window) : null;
  var nativeError = console.error;

  function text(value) {
    try {
      if (value instanceof Error) return value.message ? value.name + ': ' + value.message : String(value);
      if (typeof value === 'string') return value;
      if (value === undefined) return 'undefined';
      var json = JSON.stringify(value);
      return json === undefined ? String(value) : json;
    } catch (_) {
      return String(value);
    }
  }
  function cut(value, max) {
    return typeof value === 'string' ? value.slice(0, max) : undefined;
  }
  function own(url) {
    try {
      var u = new URL(url, location.href);
      return u.origin === location.origin && u.pathname.indexOf('/__aura/') === 0;
    } catch (_) {
      return false;
    }
  }
  function send(kind, message, stack, url) {
    var now = Date.now();
    if (now - windowStart > 10000) { windowStart = now; budget = 20; }
    var key = kind + '|' + message;
    if (recent[key] && now - recent[key] < 2000) return;
    if (budget <= 0) return;
    budget -= 1;
    recent[key] = now;
    window.__auraPreview.reported += 1;
    var body = JSON.stringify({
      kind: kind,
      message: cut(message, MAX_MESSAGE) || '(no message)',
      stack: cut(stack, MAX_STACK),
      url: cut(url || location.href, MAX_URL)
    });
    try {
      if (nativeFetch) {
        nativeFetch(ENDPOINT, {
          method: 'POST', body: body, keepalive: true, credentials: 'same-origin',
          headers: { 'content-type': 'application/json' }
        }).catch(function () {});
      } else if (navigator.sendBeacon) {
        navigator.sendBeacon(ENDPOINT, body);
      }
    } catch (_) {}
  }

  console.error = function () {
    var args = Array.prototype.slice.call(arguments);
    var error = args.filter(function (a) { return a instanceof Error; })[0];
    send('console', args.map(text).join(' '), error && error.stack);
    return nativeError.apply(this, arguments);
  };

  window.addEventListener('error', function (event) {
    var target = event.target;
    if (target && target !== window && (target.src || target.href)) {
      var resource = target.src || target.href;
      if (!own(resource)) send('request_failed', 'Failed to load ' + (target.tagName || 'resource').toLowerCase() + ' ' + resource, undefined, resource);
      return;
    }
    var where = event.filename ? event.filename + ':' + event.lineno + ':' + event.colno : undefined;
    send('error', event.message || text(event.error), event.error && event.error.stack, where);
  }, true);

  window.addEventListener('unhandledrejection', function (event) {
    var reason = event.reason;
    send('unhandled_rejection', 'Unhandled promise rejection: ' + text(reason), reason && reason.stack);
  });

  if (nativeFetch) {
    window.fetch = function (input, init) {
      var method = (init && init.method) || (input && input.method) || 'GET';
      var url = typeof input === 'string' ? input : (input && input.url) || String(input);
      var noCors = (init && init.mode === 'no-cors') || (input && input.mode === 'no-cors');
      return nativeFetch(input, init).then(function (response) {
        if (response.status >= 400 && !own(url)) {
          send('request_failed', method.toUpperCase() + ' ' + url + ' -> ' + response.status + ' ' + response.statusText, undefined, url);
        }
        return response;
      }, function (error) {
        var aborted = error && error.name === 'AbortError';
        if (!aborted && !noCors && !own(url)) {
          send('request_failed', method.toUpperCase() + ' ' + url + ' failed: ' + text(error), undefined, url);
        }
        throw error;
      });
    };
  }

  if (window.XMLHttpRequest) {
    var open = XMLHttpRequest.prototype.open;
    var sendXhr = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.open = function (method, url) {
      this.__aura = { method: String(method || 'GET').toUpperCase(), url: String(url), aborted: false };
      return open.apply(this, arguments);
    };
    XMLHttpRequest.prototype.send = function () {
      var xhr = this, info = xhr.__aura;
      if (info && !own(info.url)) {
        xhr.addEventListener('abort', function () { info.aborted = true; });
        xhr.addEventListener('loadend', function () {
          if (info.aborted) return;
          if (xhr.status >= 400) send('request_failed', info.method + ' ' + info.url + ' -> ' + xhr.status, undefined, info.url);
          else if (xhr.status === 0) send('request_failed', info.method + ' ' + info.url + ' failed: network error', undefined, info.url);
        });
      }
      return sendXhr.apply(this, arguments);
    };
  }
})();
`;
