// Starts Swagger UI (from the installed swagger-ui-py package) on the API page. A call made
// from the explorer carries this page's CSRF token, as the app's own forms do.
"use strict";

(function () {
  var box = document.getElementById("swagger-ui");
  if (!box || typeof window.SwaggerUIBundle !== "function") return;
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute("content") : "";
  box.textContent = "";
  window.SwaggerUIBundle({
    url: box.getAttribute("data-spec"),
    domNode: box,
    deepLinking: false,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    validatorUrl: null,
    requestInterceptor: function (request) {
      request.headers["X-CSRF-Token"] = token;
      return request;
    },
  });
})();
