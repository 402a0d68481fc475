import { createClient } from '@supabase/supabase-js';

export const supabase = createClient(import.meta.env.VITE_SUPABASE_URL, import.meta.env.VITE_SUPABASE_ANON_KEY);

export async function callApi(path: string): Promise<Response> {
  const { data } = await supabase.auth.getSession();
  return fetch(`${import.meta.env.VITE_API_URL}${path}`, {
    headers: { Authorization: `Bearer ${data.session?.access_token ?? ''}` },
  });
}
