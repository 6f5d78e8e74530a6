/* Downloads under their Chinese names in the copy opened from disk (file://).
 *
 * Browsers honour a link's download="积分制管理细则（范本）.docx" only for an address of the page's own origin,
 * which a file:// page does not have, so there the file would be saved as points-rules.docx. The offline build
 * writes each download also as a script, <file>.js, that puts its bytes (base64) into window.gcFiles; a click
 * on such a link loads that script and saves the bytes under the link's name. Loaded only in that build.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;
  var files = (window.gcFiles = window.gcFiles || {});

  function save(name, base64) {
    var text = atob(base64);
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    var url = URL.createObjectURL(new Blob([bytes], { type: "application/octet-stream" }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[download]") : null;
    if (!link || link.protocol !== "file:" || !/\/downloads\/[^/]+$/.test(link.pathname)) return;
    var key = decodeURIComponent(link.pathname.split("/").pop());
    var name = link.getAttribute("download") || key;
    event.preventDefault();
    if (files[key]) { save(name, files[key]); return; }
    var script = document.createElement("script");
    script.src = link.href + ".js";
    // Without its script (a copy made without it) the file is still saved, under its own name.
    function plain() { location.href = link.href; }
    script.onload = function () { if (files[key]) save(name, files[key]); else plain(); };
    script.onerror = plain;
    document.head.appendChild(script);
  });
})();
