"""The demo region's questions and answers (SPEC 5 P10): every question of seed 004's FAQ,
answered for Region Västerbotten in our own words, in Swedish with an English translation.

The answers point to the product where it now holds what the seed's page pointed elsewhere for
(the course catalogue, ST funds, supervisor statements), name no real person, and give no
invoice address of their own: the invoicing details of the trainee's area are shown on an
approved application for ST funds. Written through the service staff use, as the demo's course
admin; a second load changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from stportal.accounts.models import Region, User
from stportal.faq import services
from stportal.faq.models import Question


@dataclass(frozen=True)
class Topic:
    sv: str
    en: str


COURSES = Topic("Kurser", "Courses")
FUNDS = Topic("ST-medel", "ST funds")
SUPERVISION = Topic("Handledning", "Supervision")
STUDY_TIME = Topic("Kompetensutvecklingstid", "Study time")
SECONDMENT = Topic("Sidotjänstgöring", "Secondments")
ALLOWANCE = Topic("ST-ersättning", "Training allowance")
INVOICING = Topic("Fakturering", "Invoicing")
CREDIT = Topic("Tillgodoräknande", "Credit of prior service")


@dataclass(frozen=True)
class Entry:
    topic: Topic
    question: str
    answer: str
    question_en: str
    answer_en: str


QUESTIONS = (
    Entry(
        COURSES,
        "Var hittar jag kursutbudet?",
        "I kurskatalogen här i ST-portalen (menyn Kurskatalog). Där finns regionens eget "
        "kursprogram, LEKA, och kurser från de kursgivare regionen brukar anlita:\n\n"
        "- Forskning och Utveckling i primärvård\n"
        "- ST-forum\n"
        "- Regionkalendern\n"
        "- Allmänläkarkurser\n"
        "- Socialstyrelsen (SK-kurser)\n\n"
        "Du kan söka på delmål och på obligatoriskt kursämne.",
        "Where do I find the courses on offer?",
        "In the course catalogue here in ST-portalen (the Course catalogue menu). It lists the "
        "region's own programme, LEKA, and courses of the providers the region usually uses:\n\n"
        "- Forskning och Utveckling i primärvård (research and development in primary care)\n"
        "- ST-forum\n"
        "- Regionkalendern (the region's calendar)\n"
        "- Allmänläkarkurser\n"
        "- Socialstyrelsen (SK courses)\n\n"
        "You can search by goal and by mandatory course subject.",
    ),
    Entry(
        COURSES,
        "Kan jag välja vilken kursarrangör som helst?",
        "Välj i första hand kurser som ges i Region Västerbotten av regionens egna kursgivare; "
        "de är markerade som prefererade i kurskatalogen. En kurs hos en annan kursgivare kan "
        "godkännas bara undantagsvis, och då behöver din studierektor bevilja ett undantag när "
        "du ansöker om ST-medel. Skriv i ansökan varför just den kursen behövs.",
        "Can I choose any course provider?",
        "Choose courses given in Region Västerbotten by the region's own providers first; they "
        "are marked as preferred in the course catalogue. A course of another provider can be "
        "approved only as an exception, which your study director grants when you apply for "
        "ST funds. Say in the application why you need that particular course.",
    ),
    Entry(
        COURSES,
        "Hur vet jag vilka kurser som är bra?",
        "Att en kurs finns i en katalog betyder inte att den är relevant för dig eller att den "
        "godkänns. Fråga gärna kollegor och andra ST-läkare om deras erfarenheter, och stäm av "
        "med din handledare och studierektor innan du ansöker.",
        "How do I know which courses are good?",
        "A course being listed in a catalogue does not mean it is relevant to you or that it "
        "will be approved. Ask colleagues and other trainees about their experience, and check "
        "with your supervisor and study director before you apply.",
    ),
    Entry(
        COURSES,
        "Vilka kurser är obligatoriska?",
        "I 2015 års målbeskrivning för allmänmedicin finns tolv obligatoriska kursämnen:\n\n"
        "- Allmänmedicinskt arbetssätt\n"
        "- Kommunikation med patienter och närstående\n"
        "- Medarbetarskap, ledarskap och pedagogik\n"
        "- BVC, barnmedicin\n"
        "- Medicinsk vetenskap\n"
        "- Etik, mångfald och jämlikhet\n"
        "- Sjukdomsförebyggande arbete\n"
        "- Läkemedel\n"
        "- Försäkringsmedicin\n"
        "- Palliativ vård i livets slutskede\n"
        "- Lagar och andra föreskrifter samt hälso- och sjukvårdens organisation\n"
        "- Lagar och föreskrifter som gäller för allmänmedicin\n\n"
        "I kurskatalogen kan du söka fram de kurser som täcker ett visst ämne.",
        "Which courses are mandatory?",
        "The 2015 curriculum for general practice has twelve mandatory course subjects:\n\n"
        "- The general practice approach\n"
        "- Communication with patients and their families\n"
        "- Teamwork, leadership and teaching\n"
        "- Child health care and paediatrics\n"
        "- Medical science\n"
        "- Ethics, diversity and equality\n"
        "- Disease prevention\n"
        "- Medicines\n"
        "- Insurance medicine\n"
        "- Palliative care at the end of life\n"
        "- Laws and regulations, and the organisation of health care\n"
        "- Laws and regulations of general practice\n\n"
        "In the course catalogue you can find the courses that cover a given subject.",
    ),
    Entry(
        COURSES,
        "Hur anmäler jag mig till en kurs?",
        "Till en extern kurs anmäler du dig på kursgivarens webbplats; länken finns i "
        "kurskatalogen. Till regionens kursprogram LEKA anmäler du dig här i ST-portalen, "
        "under Kursveckor.",
        "How do I register for a course?",
        "For an external course you register on the provider's website; the link is in the "
        "course catalogue. For the region's LEKA programme you register here in ST-portalen, "
        "under Course weeks.",
    ),
    Entry(
        COURSES,
        "Finns det ST-dagar som motsvarar obligatoriska kurser?",
        "Ja, ibland motsvarar föreläsningen på en ST-dag ett obligatoriskt kursämne. Din "
        "handledare examinerar dig då och utfärdar ett kursintyg, som sedan räknas i din "
        "översikt över delmål och kursämnen.",
        "Are there ST days that correspond to mandatory courses?",
        "Yes, sometimes the lecture of an ST day corresponds to a mandatory course subject. "
        "Your supervisor then examines you and issues a course certificate, which then counts "
        "in your overview of goals and course subjects.",
    ),
    Entry(
        FUNDS,
        "Måste jag ansöka om ST-medel för att få gå en kurs?",
        "Ja. Du ansöker om ST-medel här i ST-portalen (menyn ST-medel), med kursavgift och "
        "eventuella kostnader för resa och logi. Ansökan ska alltid godkännas av din "
        "studierektor, och du får besked via e-post.",
        "Do I have to apply for ST funds to attend a course?",
        "Yes. You apply for ST funds here in ST-portalen (the ST funds menu), with the course "
        "fee and any travel and lodging costs. Your study director must always approve the "
        "application, and you are told by e-mail.",
    ),
    Entry(
        FUNDS,
        "Kan jag anmäla mig till en kurs innan min studierektor har godkänt ansökan?",
        "Det beror på vilket område du gör din ST i: vissa områden tillåter att du anmäler dig "
        "innan ansökan är godkänd, andra inte. Stäm av med ditt områdes ST-kansli innan du "
        "anmäler dig.",
        "Can I register for a course before my study director has approved the application?",
        "It depends on the area where you do your ST: some areas let you register before the "
        "application is approved, others do not. Check with your area's ST office before you "
        "register.",
    ),
    Entry(
        FUNDS,
        "Hur många kurser får jag gå per år?",
        "Varje område har ett riktvärde för hur många kurser per år en ST-läkare normalt går. "
        "Går du över det visar ansökan en varning, men det är studierektorn som bedömer om "
        "kursen behövs. Planera kurserna i din utbildningsplan tillsammans med din handledare.",
        "How many courses may I attend per year?",
        "Each area has a guide figure for how many courses a year a trainee normally attends. "
        "Above it your application shows a warning, but your study director decides whether the "
        "course is needed. Plan your courses in your training programme with your supervisor.",
    ),
    Entry(
        FUNDS,
        "Jag gick inga kurser förra året, får jag gå fler i år?",
        "Ofta går det, om kurserna behövs för att du ska nå delmålen i din utbildningsplan. "
        "Det är din studierektor som bedömer varje ansökan; berätta gärna i ansökan att du "
        "tar igen kurser från förra året.",
        "I attended no courses last year. May I attend more this year?",
        "Often yes, if the courses are needed for you to reach the goals of your training "
        "programme. Your study director judges each application; say in the application that "
        "you are catching up on last year's courses.",
    ),
    Entry(
        SECONDMENT,
        "Hur söker man sidotjänstgöring?",
        "Det beror på vilket område du gör din ST i. I område Umeå fördelas platserna för de "
        "obligatoriska sidotjänstgöringarna centralt av ST-kansliet. Icke-obligatoriska "
        "sidotjänstgöringar ordnar du själv genom att kontakta den klinik där du vill göra "
        "dem. Prata med din studierektor om vad som gäller i ditt område.",
        "How do I apply for a secondment?",
        "It depends on the area where you do your ST. In the Umeå area the places of the "
        "mandatory secondments are allocated centrally by the ST office. Optional secondments "
        "you arrange yourself by contacting the clinic where you want to serve. Ask your study "
        "director what applies in your area.",
    ),
    Entry(
        SECONDMENT,
        "Vilka delmål ska anges på intyget ”Klinisk tjänstgöring”?",
        "Det beror på tjänstgöringen. Din studierektor har en sammanställning över vilka delmål "
        "i 2015 års målbeskrivning som brukar intygas för varje sidotjänstgöring; be om den "
        "innan tjänstgöringen börjar, så att du och handledaren vet vad som ska intygas.",
        "Which goals go on the “Klinisk tjänstgöring” certificate?",
        "It depends on the placement. Your study director has a summary of which goals of the "
        "2015 curriculum are usually certified for each secondment; ask for it before the "
        "secondment starts, so that you and your supervisor know what to certify.",
    ),
    Entry(
        SECONDMENT,
        "Hur långa är de obligatoriska sidotjänstgöringarna?",
        "Längderna kan skilja något mellan områdena. Ungefär gäller:\n\n"
        "- Internmedicin: 16 veckor\n"
        "- Psykiatri: 12 veckor\n\n"
        "Barnmedicin och gynekologi planeras med din studierektor utifrån din "
        "utbildningsplan.",
        "How long are the mandatory secondments?",
        "The lengths may differ somewhat between areas. Roughly:\n\n"
        "- Internal medicine: 16 weeks\n"
        "- Psychiatry: 12 weeks\n\n"
        "Paediatrics and gynaecology are planned with your study director from your training "
        "programme.",
    ),
    Entry(
        STUDY_TIME,
        "Hur mycket kompetensutvecklingstid har jag rätt till?",
        "Du har rätt till 4 timmar kompetensutvecklingstid, även kallad ST-tid, per vecka när "
        "du arbetar heltid. Arbetar du deltid minskar tiden i samma proportion.",
        "How much study time am I entitled to?",
        "You are entitled to 4 hours of study time (ST time) a week when you work full time. "
        "If you work part time, the time is reduced in proportion.",
    ),
    Entry(
        STUDY_TIME,
        "Har jag rätt till kompetensutvecklingstid under sidotjänstgöring och FoU?",
        "Normalt inte: kompetensutvecklingstiden utgår när du gör sidotjänstgöring, FoU eller "
        "går andra kurser, och likaså de veckor du har ST-dag. Behöver du ändå tiden, kom "
        "överens med schemaläggaren eller verksamhetschefen.",
        "Am I entitled to study time during secondments and research periods?",
        "Normally not: study time does not apply while you are on a secondment, a research "
        "period or other courses, nor in weeks with an ST day. If you still need the time, "
        "agree on it with the person who makes the schedule or the head of the unit.",
    ),
    Entry(
        STUDY_TIME,
        "Måste jag sitta på vårdcentralen under kompetensutvecklingstiden?",
        "Vi rekommenderar att du som regel är på vårdcentralen under din kompetensutvecklingstid.",
        "Do I have to be at the health centre during my study time?",
        "We recommend that, as a rule, you spend your study time at the health centre.",
    ),
    Entry(
        STUDY_TIME,
        "Vad ska jag ägna kompetensutvecklingstiden åt?",
        "Till exempel:\n\n"
        "- planera din ST: tjänstgöringen på vårdcentralen, kontakter med kliniker för "
        "sidotjänstgöring, kurser och ansökningar om ST-medel\n"
        "- dokumentera din ST: kompetensbedömningar, årsrapporter, intyg, och hålla "
        "utbildningsplanen aktuell\n"
        "- läsa medicinsk litteratur och tidskrifter\n"
        "- studiebesök, till exempel på rehabmottagning, mödravårdscentral eller "
        "specialistsköterskemottagning\n"
        "- sitta med hos kollegor på vårdcentralen\n"
        "- delta i Balintgrupp",
        "What should I use my study time for?",
        "For example:\n\n"
        "- planning your ST: your service at the health centre, contacts with clinics for "
        "secondments, courses and applications for ST funds\n"
        "- documenting your ST: competence assessments, annual reports, certificates, and "
        "keeping your training programme up to date\n"
        "- reading medical literature and journals\n"
        "- study visits, for example to a rehabilitation clinic, a maternity clinic or a "
        "specialist nurse's clinic\n"
        "- sitting in with colleagues at the health centre\n"
        "- taking part in a Balint group",
    ),
    Entry(
        SUPERVISION,
        "Hur fyller jag i ett handledarutlåtande?",
        "Som handledare skriver du utlåtandet här i ST-portalen, under Handledarutlåtanden, "
        "på din ST-läkares sida:\n\n"
        "- Skapa ett nytt utlåtande; det sparas som utkast.\n"
        "- Så länge det är ett utkast kan du ändra i det.\n"
        "- När du är klar, kontrollera datumen och markera det som färdigt för granskning. "
        "Det låses då och studierektorn får besked.\n"
        "- Studierektorn granskar det eller skickar tillbaka det till utkast med en kommentar.",
        "How do I fill in a supervisor statement?",
        "As a supervisor you write the statement here in ST-portalen, under Supervisor "
        "statements, on your trainee's page:\n\n"
        "- Create a new statement; it is saved as a draft.\n"
        "- While it is a draft you can change it.\n"
        "- When you are done, check the dates and mark it ready for review. It is then locked "
        "and the study director is told.\n"
        "- The study director reviews it or sends it back to draft with a comment.",
    ),
    Entry(
        ALLOWANCE,
        "Vår ST-läkare har ett ST-utbildningskontrakt. När betalas särskild ST-ersättning ut?",
        "Regionen har en kö för ST-ersättningen. Frågor om kön och var ST-läkaren står i den "
        "besvaras av regionens HR-strateg för ST, som du når via HR-avdelningen.",
        "Our trainee has an ST training contract. When is the special training allowance paid?",
        "The region has a queue for the training allowance. Questions about the queue and the "
        "trainee's place in it are answered by the region's HR strategist for ST, whom you "
        "reach through the HR department.",
    ),
    Entry(
        ALLOWANCE,
        "Hur länge betalas ST-ersättning ut?",
        "ST-ersättningen gäller utbildningstiden, 60 månader, varav 18 månader är "
        "sidotjänstgöring.",
        "For how long is the training allowance paid?",
        "The training allowance covers the training period of 60 months, of which 18 months "
        "are secondments.",
    ),
    Entry(
        INVOICING,
        "Vad är fakturaadressen?",
        "Fakturaadressen och ditt områdes beställar-id visas på din ansökan om ST-medel när "
        "studierektorn har godkänt den (menyn ST-medel), tillsammans med de uppgifter som "
        "behövs för elektronisk fakturering. Lämna alltid beställar-id till kursgivaren "
        "tillsammans med fakturaadressen.",
        "What is the invoice address?",
        "The invoice address and your area's purchaser id are shown on your application for "
        "ST funds once your study director has approved it (the ST funds menu), together with "
        "the details needed for electronic invoicing. Always give the provider the purchaser "
        "id together with the invoice address.",
    ),
    Entry(
        CREDIT,
        "Jag har vikarierat länge innan ST. Kan jag tillgodoräkna mig den tiden?",
        "Det beror på flera saker, bland annat var och hur länge du tjänstgjorde och vilka "
        "delmål tjänstgöringen svarar mot. Stäm av med din studierektor, som fattar beslutet.",
        "I worked as a locum for a long time before my ST. Can that time be credited?",
        "That depends on several things, among them where and how long you served and which "
        "goals the service corresponds to. Check with your study director, who decides.",
    ),
)


def load_faq(region: Region, *, actor: User | None) -> int:
    """Create the questions the demo region lacks; return how many were made."""
    existing = set(Question.objects.filter(region=region).values_list("question", flat=True))
    made = 0
    for position, entry in enumerate(QUESTIONS, start=1):
        if entry.question in existing:
            continue
        services.create_question(
            actor=actor,
            region=region,
            topic=entry.topic.sv,
            topic_en=entry.topic.en,
            question=entry.question,
            question_en=entry.question_en,
            answer=entry.answer,
            answer_en=entry.answer_en,
            position=position * 10,
        )
        made += 1
    return made
