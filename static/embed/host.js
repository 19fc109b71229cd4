/* Xanh: size each Xanh widget's iframe to its content. Load once per page. */
(function () {
  var me = document.currentScript && document.currentScript.src;
  var origin = me ? new URL(me).origin : null;
  window.addEventListener("message", function (e) {
    var d = e.data;
    if (!d || d.type !== "xanh-embed-size" || (origin && e.origin !== origin)) return;
    var h = Math.round(+d.height);
    if (!(h > 0 && h < 5000)) return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === e.source) frames[i].style.height = h + "px";
    }
  });
})();
