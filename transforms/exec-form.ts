import { defineTransform } from '../src/core/transform.js';

export default defineTransform({
  id: 'exec-form',
  title: 'Exec-form CMD and ENTRYPOINT',
  rationale: '',
  uvOnly: false,
  detect() {
    return [];
  },
});
