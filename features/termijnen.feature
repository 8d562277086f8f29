# language: nl
@beperkte-lasten
Functionaliteit: Termijnen in werkdagen
  Administratieve lasten en vertraging moeten zo klein mogelijk blijven: elke fase van een
  zaak heeft een termijn in werkdagen. Aanmelding 5, beoordeling 10, gezamenlijk overleg 30,
  reactie op het advies 20, besluit na overeenstemming 20, ministerraad 40 werkdagen; een
  voornemen heeft 20 werkdagen om een plan te worden, BZK antwoordt binnen 10 werkdagen op een
  tegenvoorstel.
  Zaterdag, zondag en de algemeen erkende feestdagen van de Algemene termijnenwet tellen
  niet mee: Nieuwjaarsdag, Goede Vrijdag, Tweede Paasdag, Koningsdag, 5 mei,
  Hemelvaartsdag, Tweede Pinksterdag en beide Kerstdagen.
  Een opgeschorte zaak staat stil: de werkdagen van de opschorting komen bij de termijn.

  Abstract Scenario: Een beoordeling die start op <start> moet klaar zijn op <uiterlijk> (<feestdagen>)
    Gegeven het is <start>
    En de Belastingdienst meldt een plan aan: groei met 150 fte in Zwolle
    Als BZK de beoordeling start
    Dan verloopt de termijn op <uiterlijk>

    Voorbeelden:
      | start                    | uiterlijk              | feestdagen                        |
      | woensdag 1 april 2026    | vrijdag 17 april 2026  | Goede Vrijdag en Tweede Paasdag   |
      | maandag 20 april 2026    | woensdag 6 mei 2026    | Koningsdag en 5 mei               |
      | maandag 11 mei 2026      | woensdag 27 mei 2026   | Hemelvaartsdag en Pinksteren      |
      | vrijdag 18 december 2026 | dinsdag 5 januari 2027 | Kerst en Nieuwjaarsdag            |

  Scenario: De aanmelding heeft een termijn van 5 werkdagen, Koningsdag telt niet mee
    Gegeven het is vrijdag 24 april 2026
    Als de Belastingdienst een plan aanmeldt: groei met 150 fte in Zwolle
    Dan staat de zaak op Aangemeld
    En verloopt de termijn op maandag 4 mei 2026

  Scenario: Opschorten zet de klok stil
    Gegeven het is maandag 20 april 2026
    En DUO meldt een plan aan: een nieuwe dienst van 300 fte in Utrecht
    En BZK heeft de beoordeling gestart
    En verloopt de termijn op woensdag 6 mei 2026
    Als BZK de zaak opschort omdat "wacht op de business case"
    En het wordt vrijdag 24 april 2026
    En BZK de zaak hervat omdat "business case ontvangen"
    Dan staat de zaak weer op In beoordeling
    En verloopt de termijn op dinsdag 12 mei 2026

  Scenario: Opschorten over Kerst kost alleen de werkdagen
    Gegeven het is maandag 14 december 2026
    En de Belastingdienst meldt een plan aan: groei met 150 fte in Zwolle
    En BZK heeft de beoordeling gestart
    En verloopt de termijn op dinsdag 29 december 2026
    Als het wordt maandag 21 december 2026
    En BZK de zaak opschort omdat "wacht op de regio"
    En het wordt maandag 4 januari 2027
    En BZK de zaak hervat omdat "regio heeft gereageerd"
    Dan verloopt de termijn op maandag 11 januari 2027

  Scenario: Een opgeschorte zaak is nooit te laat
    Gegeven het is maandag 20 april 2026
    En de Belastingdienst meldt een plan aan: groei met 150 fte in Zwolle
    En BZK heeft de beoordeling gestart
    Als het wordt maandag 1 juni 2026
    Dan staat de zaak in de lijst van te late zaken
    Als BZK de zaak opschort omdat "wacht op de minister"
    Dan staat de zaak niet in de lijst van te late zaken

  Abstract Scenario: Opschorten en hervatten op <fase>: de termijn schuift op met de stilstand
    Gegeven het is maandag 7 september 2026
    En een zaak die op <fase> staat
    Als BZK de zaak opschort omdat "wacht op aanvullende stukken"
    Dan staat de zaak op Opgeschort
    Als het wordt maandag 14 september 2026
    En BZK de zaak hervat omdat "stukken ontvangen"
    Dan staat de zaak weer op <fase>
    En verloopt de termijn 5 werkdagen later dan voor het opschorten

    Voorbeelden:
      | fase                           |
      | Voornemen                      |
      | Aangemeld                      |
      | In beoordeling                 |
      | Gezamenlijk overleg            |
      | BZK-advies uitgebracht         |
      | Tegenvoorstel ministerie       |
      | Overeenstemming                |
      | Voorgelegd aan de ministerraad |
