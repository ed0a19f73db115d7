import type { ReactNode } from 'react';

interface SectionProps {
  id: string;
  title: string;
  description: ReactNode;
  children: ReactNode;
}

/** One part of the settings page, reachable as /settings#<id>. */
export function Section({ id, title, description, children }: SectionProps) {
  return (
    <section id={id} aria-labelledby={`${id}-heading`} className="flex scroll-mt-8 flex-col gap-4">
      <div className="flex flex-col gap-1">
        <h2 id={`${id}-heading`} className="text-lg font-semibold tracking-tight">
          {title}
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{description}</p>
      </div>
      {children}
    </section>
  );
}
