import { Hono } from 'hono';
import { requireUser, type AppEnv } from './middleware/auth';

const app = new Hono<AppEnv>();

app.use('/api/*', requireUser);

app.get('/api/profile', (c) => c.json({ id: c.get('userId'), environment: c.env.ENVIRONMENT }));
app.get('/api/skills', (c) => c.json({ userId: c.get('userId'), skills: [] }));

export default app;
