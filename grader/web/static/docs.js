// /docs: Swagger UI on this server's /openapi.json (no inline script: the page's CSP forbids it).
window.addEventListener("DOMContentLoaded", () => {
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
