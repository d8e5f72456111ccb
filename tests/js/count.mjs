// Count the triples (quads) of an RDF file with independent JavaScript parsers.
// Usage: node count.mjs FORMAT FILE   (FORMAT: turtle | nt | trig | nquads | jsonld)
// Prints one line: the number of statements. Exits non-zero on any parse error.
import { readFile } from 'node:fs/promises';
import { Parser } from 'n3';
import jsonld from 'jsonld';

const N3_FORMATS = { turtle: 'Turtle', nt: 'N-Triples', trig: 'TriG', nquads: 'N-Quads' };

async function count(format, file) {
  const text = await readFile(file, 'utf8');
  if (format === 'jsonld') {
    // No document loader: a remote @context would fail, which is what we want.
    const nquads = await jsonld.toRDF(JSON.parse(text), { format: 'application/n-quads' });
    return new Set(nquads.split('\n').filter((line) => line.trim() !== '')).size;
  }
  const name = N3_FORMATS[format];
  if (!name) throw new Error(`unknown format ${format}`);
  return new Parser({ format: name }).parse(text).length;
}

const [format, file] = process.argv.slice(2);
count(format, file).then(
  (n) => console.log(n),
  (err) => { console.error(String(err && err.message || err)); process.exit(1); },
);
