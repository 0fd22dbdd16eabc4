/**
 * The entry code of a worker thread (eval: true) that runs one of our modules. A worker does not
 * inherit the main thread's module hooks: when the module is TypeScript (npm test, a checkout
 * without a build), the entry registers tsx first; when it is the compiled JavaScript in dist/
 * (npm start, bin/edigw.js after `npm run build`), it imports the module as it is.
 */
export function threadEntry(moduleUrl: string): string {
  if (!moduleUrl.endsWith('.ts')) return `import(${JSON.stringify(moduleUrl)})`;
  return `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl)}); })`;
}

/** `./name` beside the module at `baseUrl`, with that module's own extension (.ts in the sources, .js in dist/) */
export function siblingModule(name: string, baseUrl: string): string {
  const ext = baseUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, baseUrl).href;
}
