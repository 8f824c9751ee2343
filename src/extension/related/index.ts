// The Related view beside Projects, following the active editor.
import type { AsyncLensEngine } from '../../core/worker/protocol';
import { RelatedView } from './relatedView';

export { RelatedView } from './relatedView';

export function registerRelated(ctx: { engine: AsyncLensEngine }): RelatedView {
  return new RelatedView(ctx.engine);
}
