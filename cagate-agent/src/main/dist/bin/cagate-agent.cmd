@echo off
rem cagate-agent (证书驱动 + 签章服务) for Windows. Needs Java 17 or later: JAVA_HOME, or java on PATH.
rem   bin\cagate-agent.cmd              start the agent (keep this window open)
rem   bin\cagate-agent.cmd --diagnose   print modules, keys and certificates for the help desk
setlocal
chcp 65001 >nul
set "HERE=%~dp0.."
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java")
"%JAVA%" -jar "%HERE%\cagate-agent.jar" --config "%HERE%\conf\cagate-agent.properties" %*
