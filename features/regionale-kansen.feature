# language: nl
@maatregel-5
Functionaliteit: Regionale kansen inventariseren en per regio tonen
  Elk jaar brengt BZK samen met provincies, gemeenten en ministeries de regionale kansen in
  kaart: waar kan een rijksdienst aansluiten bij de kernkwaliteiten van een regio?
  Medewerkers van ministeries gebruiken het overzicht per regio bij hun locatiekeuzes,
  en regio's met meer kansen krijgen in verkenningen van de spreiding meer gewicht.

  Achtergrond:
    Gegeven de ministeries en de regio's van Nederland zijn bekend
    En er zijn nog geen regionale kansen voor 2025

  Regel: Een provincie of gemeente draagt kansen aan in haar eigen regio

    @principe-5
    Scenario: Een gemeente draagt een kans aan voor haar COROP-gebied
      Als de gemeente Enschede voor Twente een kans aandraagt met het thema "Digitale veiligheid"
      Dan staat er 1 kans voor 2025 in de inventarisatie
      En hoort die kans bij Twente in de provincie Overijssel

    Scenario: Een kans buiten de eigen regio wordt geweigerd
      Als de gemeente Enschede voor Zeeland een kans aandraagt met het thema "Water"
      Dan wordt de kans geweigerd met de melding dat Zeeland buiten de gemeente Enschede ligt
      En staan er 0 kansen voor 2025 in de inventarisatie

    Scenario: Een ministerie mag voor elke regio een kans aandragen
      Als het ministerie EZ voor Zeeland een kans aandraagt met het thema "Water"
      Dan staat er 1 kans voor 2025 in de inventarisatie

  Regel: Een bestand met kansen wordt helemaal ingelezen of helemaal niet

    Scenario: Een goed bestand inlezen, en hetzelfde bestand nog eens
      Gegeven een bestand "kansen-noord.csv" met deze kansen:
        | regio      | soort indiener | indiener   | thema            | omschrijving                            |
        | Fryslân    | provincie      | Fryslân    | Water            | Watertechnologie en waterkwaliteit.     |
        | Groningen  | provincie      | Groningen  | Energietransitie | Waterstof en netbeheer rond de haven.   |
        | Noord-Drenthe | gemeente    | Assen      | Zorg             | Zorg op afstand in een landelijk gebied. |
      Als het bestand wordt ingelezen voor 2025
      En het bestand nog een keer wordt ingelezen voor 2025
      Dan staan er 3 kansen voor 2025 in de inventarisatie

    Scenario: Een bestand met een foute regel wordt geweigerd
      Gegeven een bestand "kansen-fout.csv" met deze kansen:
        | regio    | soort indiener | indiener | thema | omschrijving                  |
        | Fryslân  | provincie      | Fryslân  | Water | Watertechnologie.             |
        | Atlantis | provincie      | Zeeland  | Water | Een verzonnen regio.          |
      Als het bestand wordt ingelezen voor 2025
      Dan wordt het bestand geweigerd met een melding over regel 3, kolom "regio" en de waarde "Atlantis"
      En staan er 0 kansen voor 2025 in de inventarisatie

  Regel: Ministeries zien per regio welke kansen er zijn

    @principe-5
    Scenario: Het overzicht per regio met kaart
      Gegeven de voorbeeldkansen zijn ingelezen voor 2025
      Als het overzicht van 2025 wordt opgesteld
      Dan noemt het overzicht 4 kansen voor de provincie Groningen, waarvan 2 voor een COROP-gebied
      En noemt het overzicht dat Utrecht nog geen kansen heeft
      En is er een kaart met het aantal kansen per provincie
      En staat er in het overzicht dat het om synthetische demodata gaat

    @principe-2
    Scenario: Regio's met meer kansen wegen zwaarder in een verkenning
      Gegeven de voorbeeldkansen zijn ingelezen voor 2025
      Dan weegt Groningen zwaarder dan Drenthe
      En weegt Utrecht niet mee
      En tellen de gewichten samen op tot 1
