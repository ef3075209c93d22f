// Build GOV.UK Frontend into ../static/govuk/ for Django to serve.
// Usage: cd frontend && npm ci && npm run build
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const here = dirname(fileURLToPath(import.meta.url))
const pkg = join(here, 'node_modules', 'govuk-frontend', 'dist', 'govuk')
const out = join(here, '..', 'static', 'govuk')

// Start clean so removed upstream files don't linger.
rmSync(out, { recursive: true, force: true })
mkdirSync(join(out, 'assets'), { recursive: true })

// 1. CSS: compressed, no source map.
const result = sass.compile(join(here, 'src', 'portal.scss'), {
  loadPaths: [here],
  style: 'compressed',
  sourceMap: false,
  // Silence deprecation warnings coming from govuk-frontend itself,
  // and the @import deprecation in our own entry file (govuk-frontend 5 is
  // loaded with @import, as its documentation describes).
  quietDeps: true,
  silenceDeprecations: ['import']
})
writeFileSync(join(out, 'govuk-frontend.min.css'), result.css + '\n')

// 2. JS: the prebuilt ES module bundle. We don't ship the .map file, so drop
// the sourceMappingURL comment (avoids a 404 for the map in browser dev tools).
const js = readFileSync(join(pkg, 'govuk-frontend.min.js'), 'utf8')
  .replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n')
writeFileSync(join(out, 'govuk-frontend.min.js'), js)

// 3. Assets: everything except fonts/ (we use Arial, not GDS Transport).
for (const entry of readdirSync(join(pkg, 'assets'))) {
  if (entry === 'fonts') continue
  cpSync(join(pkg, 'assets', entry), join(out, 'assets', entry), { recursive: true })
}

console.log(`Built GOV.UK Frontend into ${out}`)
