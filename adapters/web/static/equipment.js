// The pre-call equipment test. Each check writes its result into the page in words; the
// summary says pass or fail and can be carried to a ticket. Nothing leaves the page except
// the test transfers to this server.
(function () {
  "use strict";
  var root = document.getElementById("equipment-test");
  if (!root) { return; }
  root.hidden = false;
  var minimum = Number(root.dataset.minimumMbps) || 2;
  var results = {};

  function say(id, text, ok) {
    var el = document.getElementById(id);
    el.textContent = text;
    el.className = "result " + (ok === true ? "pass" : ok === false ? "fail" : "");
  }

  function browser() {
    var ua = navigator.userAgent;
    var brands = (navigator.userAgentData && navigator.userAgentData.brands) || [];
    var chrome = null;
    brands.forEach(function (b) {
      if (b.brand === "Google Chrome" || b.brand === "Chromium") { chrome = chrome || b; }
    });
    var m = ua.match(/(?:Chrome|Chromium)\/(\d+)/);
    var isChrome = !!chrome || (!!m && !/Edg\/|OPR\//.test(ua));
    var version = chrome ? chrome.version : (m ? m[1] : "");
    results.browser = isChrome ? "Chrome " + version : "not Chrome (" + ua + ")";
    var ok = isChrome && Number(version) >= 120;
    say("browser-result", isChrome
      ? (ok ? "Chrome " + version + ": good." : "Chrome " + version + " is old: update Chrome before your appointment.")
      : "You are not using Chrome. Use the latest version of Google Chrome for the test and for the appointment.", ok);
    return ok;
  }

  function mbps(bytes, ms) { return (bytes * 8) / (ms / 1000) / 1e6; }

  function connection() {
    var size = 2 * 1024 * 1024;
    say("connection-result", "Measuring…");
    var t0 = performance.now();
    return fetch("/equipment-test/download?bytes=" + size, { cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error("download " + r.status); } return r.arrayBuffer(); })
      .then(function (buf) {
        var down = mbps(buf.byteLength, performance.now() - t0);
        var body = new Uint8Array(size);
        var t1 = performance.now();
        return fetch("/equipment-test/upload", { method: "POST", body: body, cache: "no-store" })
          .then(function (r) { if (!r.ok) { throw new Error("upload " + r.status); } return r.text(); })
          .then(function () { return [down, mbps(size, performance.now() - t1)]; });
      })
      .then(function (speeds) {
        var ok = speeds[0] >= minimum && speeds[1] >= minimum;
        results.connection = speeds[0].toFixed(1) + " Mbit/s down, " + speeds[1].toFixed(1) + " Mbit/s up";
        say("connection-result", results.connection + (ok ? ": good." : ": below the " + minimum + " Mbit/s needed."), ok);
        return ok;
      })
      .catch(function (e) {
        results.connection = "failed (" + e.message + ")";
        say("connection-result", "The connection test failed: " + e.message + ".", false);
        return false;
      });
  }

  function media() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      results.media = "not available in this browser";
      say("media-result", "This browser cannot use a camera or microphone here.", false);
      return Promise.resolve(false);
    }
    say("media-result", "Asking for your camera and microphone…");
    return navigator.mediaDevices.getUserMedia({ audio: true, video: true }).then(function (stream) {
      document.getElementById("camera-preview").srcObject = stream;
      var level = document.getElementById("mic-level");
      try {
        var ctx = new AudioContext();
        var analyser = ctx.createAnalyser();
        ctx.createMediaStreamSource(stream).connect(analyser);
        var data = new Uint8Array(analyser.fftSize);
        (function tick() {
          analyser.getByteTimeDomainData(data);
          var peak = 0;
          for (var i = 0; i < data.length; i++) { peak = Math.max(peak, Math.abs(data[i] - 128)); }
          level.value = Math.min(100, Math.round(peak / 1.28));
          level.textContent = level.value;
          requestAnimationFrame(tick);
        })();
      } catch (e) { /* the level meter is a help, not the test */ }
      var cams = stream.getVideoTracks().length, mics = stream.getAudioTracks().length;
      var ok = cams > 0 && mics > 0;
      results.media = ok ? "camera and microphone working" : (cams ? "no microphone" : "no camera");
      say("media-result", ok ? "Your camera and microphone work: you should see yourself, and the level move when you speak." : "Found " + results.media + ".", ok);
      return ok;
    }).catch(function (e) {
      results.media = "refused or missing (" + e.name + ")";
      say("media-result", e.name === "NotAllowedError"
        ? "The browser was not allowed to use your camera and microphone. Allow them (the camera icon in the address bar) and run the test again."
        : "No camera or microphone was found (" + e.name + ").", false);
      return false;
    });
  }

  document.getElementById("start-test").addEventListener("click", function () {
    say("summary", "Testing…");
    var b = browser();
    connection().then(function (c) {
      return media().then(function (m) {
        var pass = b && c && m;
        var text = "Equipment test " + (pass ? "passed" : "failed") + ": browser " + results.browser +
          "; connection " + results.connection + "; " + results.media + ".";
        say("summary", text, pass);
        var link = document.getElementById("attach-result");
        link.href = "/tickets/new?category=other&equipment=" + encodeURIComponent(text);
        link.hidden = false;
      });
    });
  });
})();
