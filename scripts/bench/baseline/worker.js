// The baseline Miliê is measured against: a minimal worker (plain JavaScript, no framework) doing
// the single D1 query a tracking lookup needs, and the single insert a submission needs, on the
// same local D1 database. Miliê's figures are reported as ratios of this one's, in the same run.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/lookup' && request.method === 'POST') {
      const { code, email } = await request.json();
      const row = await env.DB.prepare('SELECT code, nature, stage, message, created_at FROM requests WHERE code = ?1 AND email = ?2')
        .bind(code, email).first();
      return row ? Response.json(row) : Response.json({ error: 'not found' }, { status: 404 });
    }
    if (url.pathname === '/insert' && request.method === 'POST') {
      const form = await request.formData();
      const code = String(10000000 + Math.floor(Math.random() * 89999999));
      const now = Date.now();
      await env.DB.prepare(`INSERT INTO requests (code, body_id, nature, message, country, phone, email, channel, stage, created_at, updated_at)
        VALUES (?1, ?2, ?3, ?4, 'CI', ?5, ?6, 'api', 'awaiting_triage', ?7, ?7)`)
        .bind(code, Number(form.get('organisme')), form.get('nature'), form.get('message'), '+2250707123456', form.get('email'), now).run();
      return Response.json({ code }, { status: 201 });
    }
    return new Response('ok');
  },
};
