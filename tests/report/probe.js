/* Appended to a copy of report.html by tests/report/test_browser.py: measures what a
   1400 px wide window shows and writes it into the DOM as JSON (<pre id="probe">), for
   chromium --dump-dom to hand back. Runs last in the body, once the page is parsed. */
(function () {
  "use strict";
  var root = document.documentElement;
  function top(id) {
    var el = document.getElementById(id);
    return el ? el.getBoundingClientRect().top + window.scrollY : null;
  }
  var r = {
    viewport: window.innerWidth,
    width: root.clientWidth,
    scrollWidth: root.scrollWidth,
    tops: {
      glance: top("glance"),
      rootCauses: top("root-causes"),
      failures: top("failures"),
      matrix: top("matrix"),
    },
    glanceHeight: document.getElementById("glance").getBoundingClientRect().height,
    files: [],
    missingAnchors: [],
  };
  document.querySelectorAll("a[href]").forEach(function (a) {
    var href = a.getAttribute("href");
    if (href.charAt(0) === "#") {
      if (!document.getElementById(href.slice(1))) { r.missingAnchors.push(href); }
    } else {
      r.files.push(href);
    }
  });
  document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  r.scrollWidthUnfolded = root.scrollWidth;
  var verdict = document.querySelector('#filters select[name="verdict"]');
  verdict.value = "fail";
  verdict.dispatchEvent(new Event("change"));
  function shown(selector) {
    return Array.prototype.filter.call(document.querySelectorAll(selector), function (el) {
      return el.getClientRects().length > 0;
    }).map(function (el) { return el.getAttribute("data-verdict"); });
  }
  r.rowsShown = shown("tr[data-verdict]");
  r.cardsShown = shown("div.test[data-verdict]");
  r.filterCount = document.getElementById("filter-count").textContent;
  var out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify(r);
  document.body.appendChild(out);
})();
