// Every card in the company with what an admin does to it, and the form that issues one.
import { usePages } from '../components/use-pages';
import { SectionPage } from '../pages/section-page';
import { CardsSection } from './cards-section';
import { IssueCardForm } from './issue-card-form';
import { t } from '../i18n/i18n';

const peoplePageSize = 50;
const cardsPageSize = 50;

export function CardsPage() {
  const people = usePages('/api/v1/people', peoplePageSize);
  const cards = usePages('/api/v1/cards', cardsPageSize);
  return (
    <SectionPage title={t('layout.sections.cards')}>
      <CardsSection cards={cards} people={people.pages} />
      <IssueCardForm people={people.pages} />
    </SectionPage>
  );
}
