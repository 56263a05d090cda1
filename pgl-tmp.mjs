import { PGlite } from '@electric-sql/pglite';
const mem = await PGlite.create();
for (const c of ['gzip','none']) {
  const dump = await mem.dumpDataDir(c);
  const buf = Buffer.from(await dump.arrayBuffer());
  for (let i=0;i<2;i++){
  const t0=performance.now();
  const db = await PGlite.create('/tmp/pgl-load-'+c+Date.now(), { loadDataDir: new Blob([buf]) });
  await db.query('select 1'); 
  console.log(c, buf.length, 'create from dump', (performance.now()-t0).toFixed(0));
  await db.close();
  }
}
const t0=performance.now(); const m2 = await PGlite.create({loadDataDir: new Blob([Buffer.from(await (await mem.dumpDataDir('none')).arrayBuffer())])}); console.log('memory from dump', (performance.now()-t0).toFixed(0));
