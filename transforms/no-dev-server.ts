import { defineTransform } from '../src/core/transform.js';

export default defineTransform({
  id: 'no-dev-server',
  title: 'No development-server flags in production',
  rationale: '',
  uvOnly: false,
  detect() {
    return [];
  },
});
