// A fake OpenReview API v2 on 127.0.0.1 for the end-to-end test (the shapes of
// tests/NotesLsp.Papers.Tests/FakeOpenReview.cs and Fixtures.cs): `GET /notes?content.venueid=V&limit&offset`
// answers with the papers of the venues below, `GET /notes?id=X` with one paper, anything else 404 in
// OpenReview's error shape. Each venue page waits `pageDelayMs`, so a client's progress and Cancel
// can be seen. Every request is recorded.
//
//   import { startFakeOpenReview } from './fake-openreview.mjs';
//   const fake = await startFakeOpenReview({ venues: { 'Fake.cc/2026/Conference': papers }, pageDelayMs: 1500 });
//   fake.baseUrl; fake.requests; await fake.close();
//
// Run alone (`node scripts/fake-openreview.mjs`) it serves the e2e venue and prints its URL.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

/** A v2 note as OpenReview sends it (content values wrapped in { value }). */
export function v2Note(paper) {
  return {
    id: paper.id,
    forum: paper.id,
    number: paper.number ?? 1,
    content: {
      title: { value: paper.title },
      authors: { value: paper.authors ?? ['A. Author'] },
      abstract: { value: paper.abstract ?? `Abstract of ${paper.title}.` },
      venue: { value: paper.venue },
      venueid: { value: paper.venueid },
      pdf: { value: `/pdf/${paper.id}.pdf` },
    },
    invitations: [`${paper.venueid}/-/Submission`],
    domain: paper.venueid,
    readers: ['everyone'],
    cdate: 1706876283950,
    mdate: 1719287297883,
    pdate: 1714610512428,
    version: 2,
  };
}

/** Papers of a made-up venue, with ids of OpenReview's v2 shape (10 characters). */
export function fakeVenuePapers(venueid, venueName, count, titleOf) {
  return Array.from({ length: count }, (_, i) => ({
    id: `Fk${String(i).padStart(4, '0')}e2eX`.slice(0, 10),
    number: i + 1,
    title: titleOf(i),
    authors: [`Ada Example${i}`, 'Grace Sample'],
    venue: `${venueName} ${i % 3 === 0 ? 'Oral' : 'Poster'}`,
    venueid,
  }));
}

export function startFakeOpenReview({ venues = {}, pageDelayMs = 0, slowVenues = {} } = {}) {
  const requests = [];
  const byId = new Map(Object.values(venues).flat().map((p) => [p.id, p]));
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    const send = (status, body) => {
      if (response.destroyed) {
        return;
      }
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body));
    };
    const notFound = () => send(404, { name: 'NotFoundError', message: `not found: ${url.pathname}`, status: 404, details: {} });
    if (request.method !== 'GET' || !/\/notes$/.test(url.pathname)) {
      notFound();
      return;
    }
    const venueId = url.searchParams.get('content.venueid');
    if (venueId !== null) {
      const papers = venues[venueId] ?? [];
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Math.min(1000, Number(url.searchParams.get('limit') ?? 1000));
      const page = papers.slice(offset, offset + limit).map(v2Note);
      const delay = slowVenues[venueId] ?? pageDelayMs;
      const timer = setTimeout(() => send(200, url.searchParams.has('offset') ? { notes: page, count: papers.length } : { notes: page }), delay);
      request.on('close', () => clearTimeout(timer));
      return;
    }
    const id = url.searchParams.get('id');
    const paper = id === null ? undefined : byId.get(id);
    if (paper === undefined) {
      send(200, { notes: [] });
      return;
    }
    send(200, { notes: [v2Note(paper)] });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        baseUrl: `http://127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise((done) => {
            if (!server.listening) {
              done();
              return;
            }
            server.closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const venue = 'Fake.cc/2026/Conference';
  const fake = await startFakeOpenReview({
    venues: { [venue]: fakeVenuePapers(venue, 'Fake 2026', 40, (i) => `Zebra Crossing Transformers ${i}`) },
    pageDelayMs: 1000,
  });
  console.log(`fake OpenReview at ${fake.baseUrl} serving ${venue}`);
}
