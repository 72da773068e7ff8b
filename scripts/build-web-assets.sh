#!/usr/bin/env bash
# Builds the web app's browser assets from pinned npm packages into grader/web/static/
# (committed, so serving and CI need no npm): app.js (our script with CodeMirror 6 and
# KaTeX, bundled by esbuild), KaTeX's stylesheet and fonts, Swagger UI for /docs, and
# static/vendor/VERSIONS.md with every package's version and licence (licence texts beside it).
# Needs node and npm (Debian's `nodejs` and `npm`). Run it after changing assets-src/.
set -euo pipefail
cd "$(dirname "$0")/../grader/web/assets-src"
static=../static
vendor=$static/vendor

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --ignore-scripts   # esbuild's binary comes as an optional dependency
fi
node_modules/.bin/esbuild src/app.js --bundle --minify --format=iife --target=es2020 \
  --legal-comments=none --outfile=$static/app.js
cp src/docs.js $static/docs.js

rm -rf "$vendor" && mkdir -p "$vendor/katex/fonts" "$vendor/swagger-ui" "$vendor/licences"
cp node_modules/katex/dist/katex.min.css "$vendor/katex/"
cp node_modules/katex/dist/fonts/*.woff2 "$vendor/katex/fonts/"
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css "$vendor/swagger-ui/"

{
  echo "# Bundled browser packages"
  echo
  echo "Built by scripts/build-web-assets.sh from grader/web/assets-src/package-lock.json; nothing is fetched at run time."
  echo
  echo "| package | version | licence | used in |"
  echo "|---|---|---|---|"
  for dir in node_modules/@codemirror/* node_modules/@lezer/* node_modules/crelt node_modules/style-mod \
             node_modules/w3c-keyname node_modules/katex node_modules/swagger-ui-dist; do
    [ -f "$dir/package.json" ] || continue
    name=$(node -p "require('./$dir/package.json').name")
    version=$(node -p "require('./$dir/package.json').version")
    licence=$(node -p "require('./$dir/package.json').license")
    case $name in katex) used="app.js, vendor/katex";; swagger-ui-dist) used="vendor/swagger-ui (/docs)";; *) used="app.js";; esac
    echo "| $name | $version | $licence | $used |"
    for file in "$dir"/LICENSE*; do
      [ -f "$file" ] && cp "$file" "$vendor/licences/${name//\//_}-$(basename "$file")"
    done
  done
} > "$vendor/VERSIONS.md"
echo "built: $(du -sh $static | cut -f1) in grader/web/static"
