/* The survey page tells the server a browser opened it, with the rating tapped in the
   email. The page's GET records nothing (mail scanners fetch every link in an email);
   this POST is what counts as "opened", and keeps the tapped rating for a teacher who
   leaves and comes back. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-survey-landing]");
    if (!form || !window.fetch) return;
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var body = new URLSearchParams();
    if (form.dataset.tapped) body.set("quality", form.dataset.tapped);
    window.fetch(form.dataset.surveyLanding, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    }).catch(function () {});
  });
})();
