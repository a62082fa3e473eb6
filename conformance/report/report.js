/* Inlined into report.html by conformance/report/html.py: the filters by mode, verdict
   and level. Each select narrows the elements carrying data-mode, data-verdict and
   data-level (the failure cards and the rows of "All tests"); no network, no library. */
(function () {
  "use strict";
  var selects = document.querySelectorAll("#filters select");
  var count = document.getElementById("filter-count");
  function apply() {
    var want = {};
    selects.forEach(function (s) { want[s.name] = s.value; });
    var shown = 0, total = 0;
    document.querySelectorAll("[data-verdict]").forEach(function (el) {
      var ok = Object.keys(want).every(function (k) {
        return want[k] === "" || el.getAttribute("data-" + k) === want[k];
      });
      el.hidden = !ok;
      if (el.tagName === "TR") {
        total += 1;
        if (ok) { shown += 1; }
      }
    });
    if (count) { count.textContent = shown + " of " + total + " tests shown"; }
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  apply();
})();
