import { FirstRun } from '../onboarding/first-run.tsx';
import { AppHeader } from '../ui/app-header.tsx';
import { ProjectsSection } from './projects-section.tsx';
import { PromptBox } from './prompt-box.tsx';
import { TemplatesSection } from './templates-section.tsx';

export function DashboardPage() {
  return (
    <div className="flex min-h-dvh flex-col">
      <AppHeader />
      <main className="mx-auto flex w-full max-w-6xl flex-col gap-10 px-4 py-8 sm:px-6">
        <h1 className="sr-only">Dashboard</h1>
        <div className="mx-auto flex w-full max-w-3xl flex-col gap-6">
          <FirstRun />
          <PromptBox />
          <TemplatesSection />
        </div>
        <ProjectsSection />
      </main>
    </div>
  );
}
