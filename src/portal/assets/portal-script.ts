/**
 * The portal's only script, served as the file /portal/assets/portal.js (never inline: the CSP allows scripts from
 * this origin only). Kept here as text so that the TypeScript tooling checks everything else; it is plain ES5 that
 * every browser runs as it is. Progressive enhancement only: every page works without it.
 */
export const portalScript = String.raw`/* Redress portal: progressive enhancement only. Every page works without this file. */
(function () {
  'use strict';

  // 1. After a failed submission, move focus to the error summary so that it is read out first.
  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();

  // 2. A second click on "Send" while the first is on its way does nothing (the server also ignores repeats).
  function guard(form) {
    form.addEventListener('submit', function (event) {
      if (form.getAttribute('data-submitting') === 'yes') {
        event.preventDefault();
        return;
      }
      form.setAttribute('data-submitting', 'yes');
      var buttons = form.querySelectorAll('button[type="submit"]');
      for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute('aria-disabled', 'true');
      setTimeout(function () {
        form.removeAttribute('data-submitting');
        for (var j = 0; j < buttons.length; j++) buttons[j].removeAttribute('aria-disabled');
      }, 8000);
    });
  }
  var forms = document.querySelectorAll('form[data-once]');
  for (var f = 0; f < forms.length; f++) guard(forms[f]);

  // 3. The self-hosted proof of work asked when many forms come from one connection: find n such that
  //    SHA-256(challenge + ":" + n) starts with "bits" zero bits. Runs in small slices to keep the page responsive.
  var challenge = document.querySelector('input[name="pow_challenge"][data-pow-bits]');
  if (!challenge) return;
  var form = challenge.form;
  var solution = form.querySelector('input[name="pow_solution"]');
  var status = form.querySelector('.pow-status');
  var bits = parseInt(challenge.getAttribute('data-pow-bits'), 10) || 16;
  var token = challenge.value;
  var solved = false;
  var waiting = false;
  if (status) status.textContent = status.getAttribute('data-working') || '';

  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2
  ];
  var W = new Int32Array(64);

  // SHA-256 of an ASCII string (the challenge is base64url, the counter digits): returns the first 32-bit word.
  function firstWord(text) {
    var n = text.length;
    var blocks = ((n + 8) >> 6) + 1;
    var m = new Int32Array(blocks * 16);
    for (var i = 0; i < n; i++) m[i >> 2] |= text.charCodeAt(i) << (24 - (i % 4) * 8);
    m[n >> 2] |= 0x80 << (24 - (n % 4) * 8);
    m[blocks * 16 - 1] = n * 8;
    var h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a;
    var h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    for (var b = 0; b < blocks; b++) {
      var a = h0, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7, bb = h1;
      for (var t = 0; t < 64; t++) {
        if (t < 16) W[t] = m[b * 16 + t];
        else {
          var x = W[t - 15], y = W[t - 2];
          var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
          var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
          W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
        }
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[t] + W[t]) | 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var t2 = (S0 + ((a & bb) ^ (a & c) ^ (bb & c))) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = bb; bb = a; a = (t1 + t2) | 0;
      }
      h0 = (h0 + a) | 0; h1 = (h1 + bb) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
    }
    return h0 >>> 0;
  }

  // Difficulty above 32 bits is never asked; the first word is enough.
  var limit = bits >= 32 ? 1 : Math.pow(2, 32 - bits);
  var counter = 0;
  function work() {
    var end = counter + 20000;
    for (; counter < end; counter++) {
      if (firstWord(token + ':' + counter) < limit) {
        solution.value = String(counter);
        solved = true;
        if (status) status.textContent = status.getAttribute('data-done') || '';
        if (waiting) form.submit();
        return;
      }
    }
    setTimeout(work, 0);
  }
  form.addEventListener('submit', function (event) {
    if (solved) return;
    event.preventDefault();
    waiting = true;
  });
  setTimeout(work, 0);
})();
`;
