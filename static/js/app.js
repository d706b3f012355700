/* Small progressive enhancements. The pages work without JavaScript. */
(function () {
  "use strict";
  // A second click on a submit button while the first request is on its way would
  // send the form twice. The server refuses the duplicate too (one-time form token);
  // this just spares the user the confusion.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-submit-once")) return;
    if (form.dataset.submitting === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "true";
    // Disable after the browser has collected the form data, so the button's own
    // name/value (if any) is still sent.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      });
    }, 0);
  });
  // Coming back with the browser's back button restores a page from cache with
  // its buttons still disabled; enable them again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      form.dataset.submitting = "false";
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
    });
  });
})();
