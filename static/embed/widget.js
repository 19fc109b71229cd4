/* Xanh widget: tell the host page how tall the widget is, in the formats hosts understand:
   Xanh's own message, AMP's embed-size and WordPress's height message. */
(function () {
  if (window.parent === window) return;
  var secret = (location.hash.match(/secret=([\w.-]+)/) || [])[1];
  var last = 0;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (!height || height === last) return;
    last = height;
    var p = window.parent;
    p.postMessage({ type: "xanh-embed-size", height: height, src: location.href }, "*");
    p.postMessage({ sentinel: "amp", type: "embed-size", height: height }, "*");
    p.postMessage({ message: "height", value: height, secret: secret }, "*");
  }
  window.addEventListener("load", send);
  window.addEventListener("resize", send);
  if (window.ResizeObserver) new ResizeObserver(send).observe(document.documentElement);
  send();
})();
