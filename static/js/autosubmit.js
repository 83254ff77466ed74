/* A <select class="autosubmit"> submits its form when changed (the language switch in the top
   bar). A file, not an onchange="" attribute: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  document.querySelectorAll("select.autosubmit").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
