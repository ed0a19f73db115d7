import { describe, expect, it } from 'vitest';
import { type RightView, rightView } from './right-view.ts';

describe('right-hand view', () => {
  it('asks the attached switch for a view and tells listeners what it became', () => {
    const asked: RightView[] = [];
    const heard: RightView[] = [];
    const detach = rightView.attach((view) => asked.push(view));
    const unsubscribe = rightView.subscribe(() => heard.push(rightView.get()));
    rightView.show('code');
    expect(asked).toEqual(['code']);
    expect(rightView.get()).toBe('preview');
    rightView.report('code');
    rightView.report('code');
    rightView.report('preview');
    expect(heard).toEqual(['code', 'preview']);
    unsubscribe();
    detach();
    rightView.show('code');
    expect(asked).toEqual(['code']);
  });

  it('keeps a newer switch when an older one detaches', () => {
    const asked: string[] = [];
    const detachOld = rightView.attach(() => asked.push('old'));
    const detachNew = rightView.attach(() => asked.push('new'));
    detachOld();
    rightView.show('preview');
    expect(asked).toEqual(['new']);
    detachNew();
  });
});
