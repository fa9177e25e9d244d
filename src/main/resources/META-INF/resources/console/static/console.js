// The console's only script (no inline script: the Content-Security-Policy forbids it). It shows every
// <time datetime> in the viewer's zone, keeping UTC in the title, also in rows that live updates swap in;
// it asks for confirmation in the page before a destructive form is sent (data-ask), and marks the live stream's state.
(function () {
  "use strict";
  var format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

  function localTimes(root) {
    root.querySelectorAll("time[datetime]").forEach(function (el) {
      var at = new Date(el.getAttribute("datetime"));
      if (!isNaN(at)) {
        el.textContent = format.format(at);
        el.title = at.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC").replace(/Z$/, " UTC");
      }
    });
  }

  // A form marked data-confirm first shows its confirmation row (hidden), which holds the real submit button.
  document.addEventListener("click", function (event) {
    var ask = event.target.closest("[data-ask]");
    if (ask) {
      var box = document.getElementById(ask.getAttribute("data-ask"));
      if (box) {
        box.hidden = false;
        ask.hidden = true;
        var yes = box.querySelector("button");
        if (yes) { yes.focus(); }
      }
    }
    var cancel = event.target.closest("[data-cancel]");
    if (cancel) {
      var confirmBox = cancel.closest("[data-confirm-box]");
      confirmBox.hidden = true;
      var opener = document.querySelector("[data-ask='" + confirmBox.id + "']");
      if (opener) { opener.hidden = false; opener.focus(); }
    }
  });

  // The live stream's state, for the page's "live" mark (and for tests): open, or closed while it reconnects.
  document.addEventListener("htmx:sseOpen", function (event) { event.target.setAttribute("data-live", "open"); });
  document.addEventListener("htmx:sseError", function (event) { event.target.setAttribute("data-live", "closed"); });

  // A session that ended while the page was open (expired, signed out elsewhere, key suspended): back to sign-in.
  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 401) { window.location.assign("/console/sign-in"); }
  });

  document.addEventListener("DOMContentLoaded", function () { localTimes(document); });
  document.addEventListener("htmx:afterSwap", function (event) { localTimes(event.target); });
})();
