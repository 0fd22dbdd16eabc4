// The reference page of /docs: Swagger UI (swagger-ui-dist) over the gateway's own OpenAPI
// document. Nothing is fetched from elsewhere: no validator badge (validatorUrl null), no
// remote spec; "Try it out" calls this gateway with the token typed into Authorize.
/* global SwaggerUIBundle */
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  validatorUrl: null,
  deepLinking: true,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
  tryItOutEnabled: false,
  persistAuthorization: false,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
