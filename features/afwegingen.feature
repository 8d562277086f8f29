# language: nl
@afweging-primair-proces @afweging-wettelijke-locatie @afweging-huisvesting
Functionaliteit: De drie afwegingen in elk BZK-advies
  In elk advies weegt BZK uitdrukkelijk drie zaken af (beslisnota, a tot en met c):
  a. primair proces: een zwaarwegend belang van het primaire proces van de organisatie, een
     complex bestuurlijk proces of een fluctuerende werkvoorraad;
  b. wettelijke vestigingsplaats: wetgeving die bepaalt waar een organisatie zit, zoals de
     gerechtelijke kaart;
  c. huisvestingskosten: het vermijden van hoge huisvestingskosten, of van een desinvestering
     waar op de huidige plek veel is geïnvesteerd.
  Een advies waarin een van de drie ontbreekt, wordt niet aangenomen.

  Achtergrond:
    Gegeven de Belastingdienst meldt een plan aan: groei met 150 fte in Den Haag
    En BZK heeft de beoordeling gestart
    En BZK heeft het gezamenlijk overleg geopend

  Scenario: Een advies met de drie afwegingen wordt aangenomen
    Als BZK advies uitbrengt om de dienst in Groningen te vestigen, met de afwegingen:
      | afweging                    | speelt een rol | toelichting                       |
      | primair proces              | nee            |                                   |
      | wettelijke vestigingsplaats | nee            |                                   |
      | huisvestingskosten          | ja             | Leegstaand rijkspand in Groningen |
    Dan staat de zaak op BZK-advies uitgebracht
    En bevat het advies alle drie de afwegingen
    En staat bij de afweging huisvestingskosten de toelichting "Leegstaand rijkspand in Groningen"
    En onderbouwt de afweging huisvestingskosten het signaal "groei in de Randstad: motiveren"

  Scenario: Een advies zonder afwegingen wordt geweigerd
    Als BZK advies probeert uit te brengen om de dienst in Groningen te vestigen, zonder afwegingen
    Dan wordt het advies geweigerd omdat de afwegingen ontbreken
    En staat de zaak nog op Gezamenlijk overleg
    En is er niets aan de audittrail toegevoegd

  Abstract Scenario: Een advies zonder de afweging <ontbrekend> wordt geweigerd
    Als BZK advies probeert uit te brengen om de dienst in Groningen te vestigen, met de afwegingen:
      | afweging    | speelt een rol |
      | <gewogen 1> | nee            |
      | <gewogen 2> | ja             |
    Dan wordt het advies geweigerd omdat de afweging <ontbrekend> ontbreekt
    En staat de zaak nog op Gezamenlijk overleg
    En is er niets aan de audittrail toegevoegd

    Voorbeelden:
      | ontbrekend                  | gewogen 1                   | gewogen 2                   |
      | primair proces              | wettelijke vestigingsplaats | huisvestingskosten          |
      | wettelijke vestigingsplaats | primair proces              | huisvestingskosten          |
      | huisvestingskosten          | primair proces              | wettelijke vestigingsplaats |
